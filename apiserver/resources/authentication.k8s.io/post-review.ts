/**
 * Test support for virtual kinds (not a test file): POST a body to a kind's handler the
 * way resource-routes.ts does, returning the reply or, for an ApiError, "code message".
 */
import type { KubeObject, RequestContext, ResourceDef, SubresourceRegistry } from '../../catalogue/resource-def.js';
import type { ServerServices } from '../../catalogue/server-services.js';
import { ApiError } from '../../errors/api-error.js';
import { NOW, testContext, testServices } from '../core/strategy-harness.js';

export interface PostOptions {
  /** the URL's namespace ('' for cluster-scoped) */
  namespace?: string;
  ctx?: RequestContext;
  services?: ServerServices;
}

export type Posted = { code: number; body: Record<string, unknown> } | string;

export async function postReview(def: ResourceDef, body: Record<string, unknown>, opts: PostOptions = {}): Promise<Posted> {
  const namespace = opts.namespace ?? '';
  try {
    const ctx = opts.ctx ?? { ...testContext(namespace), now: NOW };
    const r = await def.virtualCreate!({ def, namespace, body: body as KubeObject, ctx, registry: {} as SubresourceRegistry, services: opts.services ?? testServices });
    return r as { code: number; body: Record<string, unknown> };
  } catch (err) {
    if (err instanceof ApiError) return `${err.code} ${err.message}`;
    throw err;
  }
}

/** the reply's status, or the error string */
export const statusOf = (posted: Posted): unknown => (typeof posted === 'string' ? posted : posted.body['status']);
