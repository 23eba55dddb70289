/**
 * metadata.managedFields for writes that are not applies (create, update, non-apply patch),
 * kube's FieldManager.Update chain:
 *
 *   - which entries to start from: the request's own managedFields when it sends a valid,
 *     non-empty list (clients may edit them), none when it sends [] or [{}] (a reset), else
 *     the stored object's; a subresource write always keeps the stored ones;
 *   - an existing object with no managedFields stays untracked (kube starts tracking at
 *     create or at the next apply);
 *   - the writer (manager M, operation Update, this apiVersion and subresource) takes the
 *     fields the write added or changed, away from whoever had them; removed fields leave
 *     every set; M's entry keeps its older fields and gets a new time only if it took any;
 *   - apiVersion, kind and the server-set metadata fields are never owned;
 *   - more than 10 Update entries: the oldest merge into "ancient-changes" per apiVersion.
 *
 * Call it with the object as it will be stored (after defaulting). Errors keep the stored
 * object's entries, as kube's UpdateNoErrors does.
 */
import type { FieldSet } from './field-set.js';
import { deepCopy, isObject, type Json, type JsonObject } from './json-value.js';
import { capUpdateManagers } from './cap-managers.js';
import { createdFieldsV1, NOT_FAST } from './created-fields.js';
import { copyManaged, decodeManaged, encodeManaged, identityOf, isResetRequest, timeText, type Managed, type ManagedFieldsEntry, type ManagerInfo } from './managed-set.js';
import { transferOwnership } from './ownership.js';
import type { ApplySchema } from './schema-node.js';
import { stripMeta } from './strip-meta.js';
import { zeroObject } from './zero-object.js';
import type { SchemaLookup } from '../schema/schema-registry.js';

export interface WriteContext {
  schema: ApplySchema;
  schemas: SchemaLookup;
  /** group/version of the request, e.g. "apps/v1" */
  apiVersion: string;
  /** set for writes to a subresource (status, scale) */
  subresource?: string;
  /**
   * fields this endpoint resets, which no writer here owns (kube's ResetFieldsStrategy):
   * typically `status` for the main resource and everything but `status` for /status
   */
  ignored?: FieldSet;
  now: Date;
}

export interface UpdateRequest extends WriteContext {
  /** the stored object; undefined on create */
  live: JsonObject | undefined;
  /** the object to store */
  next: JsonObject;
  /** fieldManager; kube falls back to "unknown" */
  manager: string;
}

/** the object to store, with its managedFields recomputed */
export function updateManagedFields(req: UpdateRequest): JsonObject {
  const fast = fastCreateEntries(req);
  if (fast !== NOT_FAST) {
    const out = deepCopy(req.next);
    const meta = metadataOf(out);
    if (fast === undefined) delete meta.managedFields;
    else meta.managedFields = fast;
    return out;
  }
  return slowUpdateManagedFields(req);
}

/**
 * Just the metadata.managedFields value updateManagedFields would store (undefined: none);
 * a create takes the one-pass path without copying the object.
 */
export function managedFieldsAfter(req: UpdateRequest): Json | undefined {
  const fast = fastCreateEntries(req);
  if (fast !== NOT_FAST) return fast;
  return metaValue(slowUpdateManagedFields(req), 'managedFields');
}

/**
 * A create with no managedFields to start from (none sent, or a reset) records one entry,
 * the creator's: created-fields.ts computes it in one walk. NOT_FAST for anything else.
 */
function fastCreateEntries(req: UpdateRequest): Json | undefined | typeof NOT_FAST {
  if (req.live) return NOT_FAST;
  const sent = metaValue(req.next, 'managedFields');
  if (sent !== undefined && sent !== null && !isResetRequest(sent)) return NOT_FAST;
  const fields = createdFieldsV1(req.schema, zeroObject(req.schemas, req.schema.rootId), req.next, req.ignored);
  if (fields === NOT_FAST || fields === undefined) return fields;
  const entry: ManagedFieldsEntry = { manager: req.manager || 'unknown', operation: 'Update', apiVersion: req.apiVersion, time: timeText(req.now), fieldsType: 'FieldsV1', fieldsV1: fields };
  if (req.subresource) entry.subresource = req.subresource;
  return [entry] as unknown as Json;
}

/** the general path: kube's compare-based bookkeeping, for updates and unusual creates */
export function slowUpdateManagedFields(req: UpdateRequest): JsonObject {
  const out = deepCopy(req.next);
  const meta = metadataOf(out);
  try {
    const managed = startingEntries(req);
    delete meta.managedFields;
    const live = req.live && withoutManagedFields(req.live);
    if (!managed.size && live) return out;
    recordUpdate(managed, live ?? zeroObject(req.schemas, req.schema.rootId), out, req.manager || 'unknown', req);
    setManagedFields(out, managed);
  } catch {
    const kept = req.live && metaValue(req.live, 'managedFields');
    if (kept === undefined) delete meta.managedFields;
    else meta.managedFields = deepCopy(kept);
  }
  return out;
}

function startingEntries(req: UpdateRequest): Managed {
  const fromLive = () => {
    try {
      return decodeManaged(req.live && metaValue(req.live, 'managedFields'));
    } catch {
      return new Map() as Managed;
    }
  };
  if (req.subresource) return fromLive();
  const sent = metaValue(req.next, 'managedFields');
  if (isResetRequest(sent)) return new Map();
  try {
    const decoded = decodeManaged(sent);
    return decoded.size ? decoded : fromLive();
  } catch {
    return fromLive();
  }
}

/**
 * Records an Update by `manager` that turned `before` into `after` (both without
 * managedFields). Mutates `managed`.
 */
export function recordUpdate(managed: Managed, before: Json, after: Json, manager: string, ctx: WriteContext): void {
  const info: ManagerInfo = { manager, operation: 'Update', apiVersion: ctx.apiVersion };
  if (ctx.subresource) info.subresource = ctx.subresource;
  const id = identityOf(info);
  // kube runs the comparison as a separate "current-operation" writer, so M's own older
  // fields are treated like anyone else's, then merges the result into M's entry
  const writer = '\u0000current-operation';
  const { comparison } = transferOwnership(ctx.schema, managed, before, after, writer, true, ctx.ignored);
  let took = stripMeta(comparison.modified.union(comparison.added).difference(comparison.removed));
  if (ctx.ignored) took = took.recursiveDifference(ctx.ignored);
  if (!took.isEmpty()) {
    const previous = managed.get(id);
    managed.set(id, { info, set: previous ? took.union(previous.set) : took, time: timeText(ctx.now) });
  }
  capUpdateManagers(managed);
}

export function setManagedFields(object: JsonObject, managed: Managed): void {
  const meta = metadataOf(object);
  const entries = encodeManaged(copyManaged(managed));
  if (entries) meta.managedFields = entries as unknown as Json;
  else delete meta.managedFields;
}

export function metadataOf(object: JsonObject): JsonObject {
  if (!isObject(object.metadata)) object.metadata = {};
  return object.metadata as JsonObject;
}

/** a metadata field, without creating metadata */
export const metaValue = (object: JsonObject, key: string): Json | undefined => (isObject(object.metadata) ? object.metadata[key] : undefined);

export function withoutManagedFields(object: JsonObject): JsonObject {
  const copy = deepCopy(object);
  if (isObject(copy.metadata)) delete copy.metadata.managedFields;
  return copy;
}
