/** Adapter: one matcher from a request's labelSelector and fieldSelector. */
import type { KubeObject, ResourceDef } from '../catalogue/resource-def.js';
import { apiErrors } from '../errors/api-error.js';

export function selectorMatcher(_def: ResourceDef, labelSelector: string | undefined, fieldSelector: string | undefined): ((obj: KubeObject) => boolean) | undefined {
  if (labelSelector || fieldSelector) throw apiErrors.badRequest('selectors: not wired yet');
  return undefined;
}
