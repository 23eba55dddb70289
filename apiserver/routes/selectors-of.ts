/** One matcher from a request's labelSelector and fieldSelector (undefined = select all). */
import type { KubeObject, ResourceDef } from '../catalogue/resource-def.js';
import { compileFieldSelector } from '../selectors/field-selector.js';
import { compileLabelSelector } from '../selectors/label-selector.js';

export function selectorMatcher(def: ResourceDef, labelSelector: string | undefined, fieldSelector: string | undefined): ((obj: KubeObject) => boolean) | undefined {
  const byLabels = labelSelector?.trim() ? compileLabelSelector(labelSelector) : undefined;
  const byFields = fieldSelector?.trim() ? compileFieldSelector(def, fieldSelector) : undefined;
  if (!byLabels && !byFields) return undefined;
  return (obj) => (!byLabels || byLabels(obj.metadata.labels)) && (!byFields || byFields(obj));
}
