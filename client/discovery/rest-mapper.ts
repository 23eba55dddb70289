/**
 * The RESTMapper: (apiVersion, kind) → the resource URL segment and scope, read from the
 * server's discovery documents (GET /api/v1, GET /apis/<group>/<version>: APIResourceLists).
 *
 * One cache entry per group-version, holding the promise of its kinds, so concurrent
 * lookups share one in-flight request. A kind missing from a cached entry refreshes that
 * group-version once (a CRD created after the first lookup then resolves); if it is still
 * missing, NoKindMatchError. A lookup that found the entry still in flight counts as
 * fresh and does not refresh again. A failed fetch is not cached.
 */
import { ApiError } from '../api-error.js';
import { groupVersionPath, parseApiVersion } from '../rest/resource-path.js';
import type { ResourceMapping } from '../types.js';

/** what the mapper needs from the transport: GET a discovery document */
export type DiscoveryFetch = (path: string) => Promise<unknown>;

interface ApiResource {
  name?: string;
  kind?: string;
  namespaced?: boolean;
}

/** the kind has no resource in that group-version (as kubectl says it) */
export class NoKindMatchError extends Error {
  override name = 'NoKindMatchError';
  constructor(
    readonly kind: string,
    readonly apiVersion: string,
  ) {
    super(`no matches for kind "${kind}" in version "${apiVersion}"`);
  }
}

export const isNoKindMatch = (err: unknown): err is NoKindMatchError => err instanceof NoKindMatchError;

interface Entry {
  kinds: Promise<Map<string, ResourceMapping>>;
  settled: boolean;
}

export class RestMapper {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly fetch: DiscoveryFetch) {}

  async mapping(apiVersion: string, kind: string): Promise<ResourceMapping> {
    const gv = parseApiVersion(apiVersion);
    let entry = this.entries.get(apiVersion);
    // an entry still in flight was (or is being) fetched after this lookup began: fresh enough
    const fresh = !entry || !entry.settled;
    entry ??= this.load(apiVersion, gv.group, gv.version);
    let found = (await entry.kinds).get(kind);
    if (!found && !fresh) {
      // refresh once; a concurrent miss that already started a refresh is joined, not repeated
      const current = this.entries.get(apiVersion);
      const refresh = current && current !== entry ? current : this.load(apiVersion, gv.group, gv.version);
      found = (await refresh.kinds).get(kind);
    }
    if (!found) throw new NoKindMatchError(kind, apiVersion);
    return found;
  }

  /** forget everything (e.g. after CRDs are deleted) */
  reset(): void {
    this.entries.clear();
  }

  private load(apiVersion: string, group: string, version: string): Entry {
    const entry: Entry = { settled: false, kinds: Promise.resolve(new Map()) };
    entry.kinds = this.fetch(groupVersionPath(group, version)).then(
      (doc) => {
        entry.settled = true;
        return kindsOf(doc, group, version);
      },
      (err: unknown) => {
        entry.settled = true;
        if (this.entries.get(apiVersion) === entry) this.entries.delete(apiVersion);
        // a group-version the server does not serve (yet) has no kinds; anything else is a real failure
        if (err instanceof ApiError && err.code === 404) return new Map<string, ResourceMapping>();
        throw err;
      },
    );
    this.entries.set(apiVersion, entry);
    return entry;
  }
}

function kindsOf(doc: unknown, group: string, version: string): Map<string, ResourceMapping> {
  const kinds = new Map<string, ResourceMapping>();
  const resources = (doc as { resources?: ApiResource[] } | undefined)?.resources;
  if (!Array.isArray(resources)) throw new Error(`discovery for ${groupVersionPath(group, version)} is not an APIResourceList`);
  for (const r of resources) {
    // subresources (pods/status, deployments/scale) share the kind of their parent or name another; skip them
    if (!r.name || !r.kind || r.name.includes('/')) continue;
    if (!kinds.has(r.kind)) kinds.set(r.kind, { group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced === true });
  }
  return kinds;
}

/** one resource the server serves, with the verbs it allows (list, watch, delete, deletecollection …) */
export type ServerResource = ResourceMapping & { verbs: string[] };

export interface ServerResourcesOptions {
  /** every served version of each group, not only the preferred one (default false) */
  allVersions?: boolean;
}

interface GroupForDiscovery {
  name?: string;
  versions?: Array<{ groupVersion?: string; version?: string }>;
  preferredVersion?: { groupVersion?: string; version?: string };
}

/**
 * Every top-level resource the server serves (kubectl api-resources; client-go's
 * ServerPreferredResources): GET /api and /apis for the group-versions, then each
 * group-version's APIResourceList. Subresources are left out. A group-version that
 * vanished between the two requests (404) contributes nothing.
 */
export async function serverResources(fetch: DiscoveryFetch, opts: ServerResourcesOptions = {}): Promise<ServerResource[]> {
  const [core, groups] = await Promise.all([fetch('/api'), fetch('/apis')]);
  const groupVersions: Array<{ group: string; version: string }> = [];
  for (const v of (core as { versions?: string[] } | undefined)?.versions ?? []) {
    groupVersions.push({ group: '', version: v });
    if (!opts.allVersions) break; // the first core version is the preferred one
  }
  for (const g of (groups as { groups?: GroupForDiscovery[] } | undefined)?.groups ?? []) {
    if (!g.name) continue;
    const versions = opts.allVersions ? (g.versions ?? []) : g.preferredVersion ? [g.preferredVersion] : (g.versions ?? []).slice(0, 1);
    for (const v of versions) if (v.version) groupVersions.push({ group: g.name, version: v.version });
  }
  const lists = await Promise.all(
    groupVersions.map(({ group, version }) =>
      fetch(groupVersionPath(group, version)).then(
        (doc) => resourcesOf(doc, group, version),
        (err: unknown) => {
          if (err instanceof ApiError && err.code === 404) return [];
          throw err;
        },
      ),
    ),
  );
  return lists.flat();
}

function resourcesOf(doc: unknown, group: string, version: string): ServerResource[] {
  const resources = (doc as { resources?: Array<ApiResource & { verbs?: string[] }> } | undefined)?.resources;
  if (!Array.isArray(resources)) throw new Error(`discovery for ${groupVersionPath(group, version)} is not an APIResourceList`);
  const out: ServerResource[] = [];
  for (const r of resources) {
    if (!r.name || !r.kind || r.name.includes('/')) continue;
    out.push({ group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced === true, verbs: Array.isArray(r.verbs) ? [...r.verbs] : [] });
  }
  return out;
}
