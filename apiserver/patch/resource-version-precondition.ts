/**
 * A patch that sets metadata.resourceVersion makes it a precondition, as in kube (kubectl
 * label/annotate --resource-version, kubectl diff): the update must fail with 409 Conflict
 * ("the object has been modified; please apply your changes to the latest version and try
 * again") when the patched object's resourceVersion is not the live one. A patch that leaves
 * the field alone keeps the live value and so never conflicts; one that removes it imposes
 * no precondition.
 */
import { isJsonObject, type Json } from './json.js';

const resourceVersionOf = (obj: Json | undefined): string | undefined => {
  const meta = isJsonObject(obj) ? obj.metadata : undefined;
  const rv = isJsonObject(meta) ? meta.resourceVersion : undefined;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
};

/** true when `patched` names a resourceVersion other than `current`'s */
export function violatesResourceVersion(current: Json, patched: Json): boolean {
  const wanted = resourceVersionOf(patched);
  return wanted !== undefined && wanted !== resourceVersionOf(current);
}
