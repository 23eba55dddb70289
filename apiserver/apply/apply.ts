/**
 * Server-side apply (PATCH with application/apply-patch+yaml), kube's FieldManager.Apply:
 *
 *  1. the configuration must be of the request's kind and version, without managedFields;
 *  2. an existing object with no managedFields first gets a "before-first-apply" Update
 *     entry owning everything it has (kube's way to start tracking);
 *  3. the configuration is merged into the live object (merge.ts); the applier's entry
 *     becomes exactly the configuration's field set; fields it applied before and dropped
 *     now are pruned unless someone else owns them (prune.ts);
 *  4. fields the result adds or changes that another manager owns are conflicts: the apply
 *     fails (409) unless force, which moves them to the applier. Applying a value equal to
 *     the live one is not a conflict: both managers then share the field;
 *  5. manager "kubectl" upgrading from client-side apply: conflicts on fields whose live
 *     value still equals the last-applied-configuration annotation are forced, and that
 *     annotation, when present, is rewritten to the new configuration.
 *
 * The applier's entry gets a new time only when the object changed. The result is not
 * defaulted or validated: the caller runs the kind's strategy on it, as for any update.
 */
import { conflictReport, type StatusCause } from './conflicts.js';
import { compareObjects } from './compare.js';
import { fieldsOf } from './fields-of.js';
import { deepCopy, goJson, isObject, jsonEqual, type Json, type JsonObject } from './json-value.js';
import { ListItemError } from './list-items.js';
import { metadataOf, metaValue, recordUpdate, setManagedFields, withoutManagedFields, type WriteContext } from './managed-fields.js';
import { copyManaged, decodeManaged, identityOf, ManagedFieldsError, timeText, type Managed, type ManagerInfo } from './managed-set.js';
import { mergeObjects } from './merge.js';
import { transferOwnership, type Conflict } from './ownership.js';
import { prune } from './prune.js';
import { stripMeta } from './strip-meta.js';
import { zeroObject } from './zero-object.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const BEFORE_FIRST_APPLY = 'before-first-apply';

export interface ApplyRequest extends WriteContext {
  /** the stored object; undefined when the apply creates it */
  live: JsonObject | undefined;
  /** the applied configuration (the request body) */
  applied: JsonObject;
  /** fieldManager (required for apply) */
  manager: string;
  force: boolean;
  /** the kind served at this endpoint */
  kind: string;
}

export type ApplyResult =
  | { outcome: 'applied'; object: JsonObject; changed: boolean }
  | { outcome: 'conflict'; message: string; causes: StatusCause[]; conflicts: Conflict[] }
  | { outcome: 'badRequest'; message: string }
  | { outcome: 'invalid'; message: string }
  | { outcome: 'internal'; message: string };

export function apply(req: ApplyRequest): ApplyResult {
  const rejected = checkConfiguration(req);
  if (rejected) return rejected;
  let managed: Managed;
  try {
    managed = decodeManaged(req.live && metaValue(req.live, 'managedFields'));
  } catch (e) {
    return { outcome: 'internal', message: `failed to decode managed fields: ${(e as Error).message}` };
  }
  try {
    return applyTracked(req, managed);
  } catch (e) {
    if (e instanceof ListItemError || e instanceof ManagedFieldsError) return { outcome: 'invalid', message: e.message };
    throw e;
  }
}

function checkConfiguration(req: ApplyRequest): ApplyResult | undefined {
  const { apiVersion, kind } = req.applied;
  if (apiVersion !== req.apiVersion || kind !== req.kind) {
    const [group, version] = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    return { outcome: 'badRequest', message: `invalid object type: ${group}/${String(version ?? '')}, Kind=${String(kind ?? '')}` };
  }
  if (metaValue(req.applied, 'managedFields') !== undefined && metaValue(req.applied, 'managedFields') !== null) {
    return { outcome: 'badRequest', message: 'metadata.managedFields must be nil' };
  }
  return undefined;
}

function applyTracked(req: ApplyRequest, managed: Managed): ApplyResult {
  const live = req.live && withoutManagedFields(req.live);
  const zero = zeroObject(req.schemas, req.schema.rootId);
  if (!managed.size) recordUpdate(managed, zero, live ?? zero, BEFORE_FIRST_APPLY, req);
  let attempt = applyOnce(req, copyManaged(managed), live, zero, req.force);
  if (attempt.outcome === 'conflict' && req.manager === 'kubectl') {
    const allowed = live && allowedByLastApplied(req, live);
    if (allowed) {
      const remaining = attempt.conflicts.filter((c) => !allowed.has(c.path));
      attempt = remaining.length ? { ...conflictReport(remaining), outcome: 'conflict', conflicts: remaining } : applyOnce(req, copyManaged(managed), live, zero, true);
    }
  }
  if (attempt.outcome !== 'applied') return attempt;
  const object = attempt.object;
  if (req.manager === 'kubectl' && live && lastApplied(live)) setLastApplied(object, req.applied);
  return attempt;
}

function applyOnce(req: ApplyRequest, managed: Managed, live: JsonObject | undefined, zero: JsonObject, force: boolean): ApplyResult {
  const info: ManagerInfo = { manager: req.manager, operation: 'Apply', apiVersion: req.apiVersion };
  if (req.subresource) info.subresource = req.subresource;
  const id = identityOf(info);
  const before: JsonObject = live ?? zero;
  const merged = (mergeObjects(req.schema, live ?? {}, req.applied) ?? {}) as JsonObject;
  const previous = managed.get(id);
  const configured = fieldsOf(req.schema, req.applied);
  const set = req.ignored ? configured.recursiveDifference(req.ignored) : configured;
  managed.set(id, { info, set, ...(previous?.time ? { time: previous.time } : {}) });
  const result = prune(req.schema, merged, managed, previous?.set) as JsonObject;
  const { conflicts } = transferOwnership(req.schema, managed, before, result, id, force, req.ignored);
  if (conflicts.length && !force) return { outcome: 'conflict', conflicts, ...conflictReport(conflicts) };
  const changed = !jsonEqual(before, result);
  const entry = managed.get(id)!;
  const owned = stripMeta(entry.set);
  if (owned.isEmpty()) managed.delete(id);
  else managed.set(id, { ...entry, set: owned, ...(changed ? { time: timeText(req.now) } : {}) });
  const object = changed || !live ? result : deepCopy(live);
  setManagedFields(object, managed);
  return { outcome: 'applied', object, changed };
}

const lastApplied = (object: JsonObject): string | undefined => {
  const annotations = metaValue(object, 'annotations');
  const text = isObject(annotations) ? annotations[LAST_APPLIED_ANNOTATION] : undefined;
  return typeof text === 'string' && text ? text : undefined;
};

/** the fields client-side apply set whose live value it still has: kubectl may take them */
function allowedByLastApplied(req: ApplyRequest, live: JsonObject) {
  const text = lastApplied(live);
  if (!text) return undefined;
  let config: Json;
  try {
    config = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  if (!isObject(config) || config.apiVersion !== req.apiVersion) return undefined;
  const diff = compareObjects(req.schema, config, live);
  return fieldsOf(req.schema, config).difference(diff.modified).difference(diff.added).difference(diff.removed);
}

/** kubectl's annotation text: the configuration as Go encodes it, without the annotation itself */
function setLastApplied(object: JsonObject, applied: JsonObject): void {
  const config = deepCopy(applied);
  const annotations = metaValue(config, 'annotations');
  if (isObject(annotations)) {
    delete annotations[LAST_APPLIED_ANNOTATION];
    if (!Object.keys(annotations).length) delete metadataOf(config).annotations;
  }
  const meta = metadataOf(object);
  const target = isObject(meta.annotations) ? meta.annotations : (meta.annotations = {});
  (target as JsonObject)[LAST_APPLIED_ANNOTATION] = `${goJson(config)}\n`;
}
