/**
 * Server-side apply and managedFields, as pure functions over JSON objects.
 *
 * Wiring (per write, with `schema = new ApplySchema(schemaRegistry, schemaRegistry.idOf(gvk))`
 * and `manager = fieldManagerFor(query.fieldManager, userAgent)`):
 *   - POST, PUT, and non-apply PATCH: after the body is merged and defaulted, store
 *     updateManagedFields({schema, schemas, apiVersion, subresource, now, live, next, manager}).
 *   - PATCH application/apply-patch+yaml: apply({..., live, applied, manager, force, kind});
 *     'applied' → run the kind's strategy on `object` (create when live was undefined);
 *     'conflict' → 409 Conflict with `message` and `causes`; 'badRequest' → 400;
 *     'invalid' → 422; 'internal' → 500.
 */
export { apply, BEFORE_FIRST_APPLY, LAST_APPLIED_ANNOTATION, type ApplyRequest, type ApplyResult } from './apply.js';
export { conflictReport, type StatusCause } from './conflicts.js';
export { fieldManagerFor, validateFieldManager, validatePatchOptions } from './field-manager.js';
export { FieldSet } from './field-set.js';
export { fieldsOf } from './fields-of.js';
export { fieldsV1Text, fromFieldsV1, toFieldsV1, type FieldsV1 } from './fields-v1.js';
export { managedFieldsAfter, updateManagedFields, type UpdateRequest, type WriteContext } from './managed-fields.js';
export { type ManagedFieldsEntry } from './managed-set.js';
export { fieldPath, pathString } from './path-element.js';
export { ApplySchema } from './schema-node.js';
