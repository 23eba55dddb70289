/**
 * Which discovery form a client asked for. kubectl picks its decoder from the reply's
 * Content-Type alone (kubectl-contract §2.1), so the server answers in the first aggregated
 * form the Accept header offers, preferring v2 over v2beta1, and in the legacy form
 * (APIVersions / APIGroupList) otherwise:
 *
 *   1.30+: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,
 *          application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json  → v2
 *   1.27:  application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json → v2beta1
 *   curl:  * / *                                                                                       → legacy
 */

export type DiscoveryForm = 'v2' | 'v2beta1' | 'legacy';

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim());
      const out: MediaRange = { type: type.toLowerCase(), params: {} };
      for (const p of params) {
        const eq = p.indexOf('=');
        if (eq > 0) out.params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      }
      return out;
    })
    .filter((r) => r.type);
}

const isAggregated = (r: MediaRange, version: string) =>
  r.type === 'application/json' &&
  r.params.g === 'apidiscovery.k8s.io' &&
  r.params.v === version &&
  r.params.as === 'APIGroupDiscoveryList' &&
  r.params.q !== '0';

export function discoveryForm(accept: string | undefined): DiscoveryForm {
  const ranges = parseAccept(accept);
  if (ranges.some((r) => isAggregated(r, 'v2'))) return 'v2';
  if (ranges.some((r) => isAggregated(r, 'v2beta1'))) return 'v2beta1';
  return 'legacy';
}

/** the exact reply Content-Type for an aggregated form */
export const aggregatedContentType = (form: 'v2' | 'v2beta1') => `application/json;g=apidiscovery.k8s.io;v=${form};as=APIGroupDiscoveryList`;
