/**
 * ControllerRevisions as kube's pkg/controller/history builds them: an immutable snapshot
 * of a StatefulSet's or DaemonSet's pod template, stored as the patch that puts that
 * template back (`{"spec":{"template":{…,"$patch":"replace"}}}`), so `kubectl rollout
 * undo` can apply a revision's data to its owner as a strategic merge patch.
 *
 *   data     = templatePatch(set)                  keys sorted, as Go marshals a map
 *   hash     = safeEncode(fnv32a(JSON(data) + collisionCount))   e.g. "7b9c6f8d5"
 *   name     = `${owner}-${hash}`                   e.g. "web-7b9c6f8d5"
 *   labels   = template labels + controller.kubernetes.io/hash=<hash>
 *   revision = 1 + the highest revision the owner already has
 *
 * Two revisions are the same revision when their data is equal (the hash is only a
 * name; a collision bumps the owner's status.collisionCount and picks another name).
 * Everything here is pure; controller-history.ts does the API calls.
 */
import type { V1ControllerRevision } from '@kubernetes/client-node';
import type { KubeObject } from '../../client/types.js';
import { newControllerRef } from '../common/controller-ref.js';

export type ControllerRevision = V1ControllerRevision & KubeObject;

/** the label kube's history package puts on every revision it creates */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** kube keeps revision names within a DNS subdomain: the owner part is cut to 223 characters */
const MAX_PREFIX_LENGTH = 223;

/** apimachinery's rand.SafeEncodeString alphabet: no vowels, no look-alike digits */
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of Buffer.from(s, 'utf8')) out += SAFE_ALPHANUMS[ch % SAFE_ALPHANUMS.length];
  return out;
}

/** 32-bit FNV-1a over bytes */
export function fnv32a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** a JSON value with object keys sorted at every level (what Go's json.Marshal of a map gives) */
export function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedKeys) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortedKeys(v);
    }
    return out as T;
  }
  return value;
}

/** canonical JSON: equal values give equal strings whatever their key order */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortedKeys(value ?? null));

/** HashControllerRevision: the revision's data, then the collision count as decimal, FNV-1a, safe-encoded */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  let text = canonicalJson(data);
  if (collisionCount !== undefined && collisionCount !== null) text += String(collisionCount);
  return safeEncodeString(String(fnv32a(Buffer.from(text, 'utf8'))));
}

export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > MAX_PREFIX_LENGTH ? prefix.slice(0, MAX_PREFIX_LENGTH) : prefix}-${hash}`;
}

/**
 * getPatch of the StatefulSet and DaemonSet controllers: the owner's spec.template under
 * `$patch: replace`, so applying it as a strategic merge patch swaps the whole template.
 */
export function templatePatch(owner: KubeObject): Record<string, unknown> {
  const template = structuredClone(((owner.spec as { template?: unknown } | undefined)?.template ?? {}) as Record<string, unknown>);
  return sortedKeys({ spec: { template: { ...template, $patch: 'replace' } } });
}

/** the pod template a revision's data holds (the inverse of templatePatch) */
export function templateOfRevision(revision: ControllerRevision): Record<string, unknown> | undefined {
  const template = (revision.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (!template) return undefined;
  const { $patch: _ignored, ...rest } = template;
  return structuredClone(rest);
}

/** ApplyRevision: a copy of `owner` whose template is the revision's */
export function applyRevision<T extends KubeObject>(owner: T, revision: ControllerRevision): T {
  const clone = structuredClone(owner);
  const template = templateOfRevision(revision);
  if (template) (clone.spec as Record<string, unknown>).template = template;
  return clone;
}

export interface NewRevisionInput {
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  templateLabels: Record<string, string> | undefined;
  data: unknown;
  revision: number;
  collisionCount?: number;
  annotations?: Record<string, string>;
}

/** NewControllerRevision: named and labelled by the data's hash, owned by `owner` */
export function newControllerRevision(o: NewRevisionInput): ControllerRevision {
  const hash = hashControllerRevision(o.data, o.collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(o.owner.metadata?.name ?? '', hash),
      namespace: o.owner.metadata?.namespace ?? '',
      labels: { ...(o.templateLabels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(o.annotations && Object.keys(o.annotations).length ? { annotations: { ...o.annotations } } : {}),
      ownerReferences: [newControllerRef(o.owner, o.ownerApiVersion, o.ownerKind)],
    },
    data: o.data as object,
    revision: o.revision,
  } as ControllerRevision;
}

/** EqualRevision: same hash label (when both carry one) and equal data */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = a.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const hb = b.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  if (ha !== undefined && hb !== undefined && ha !== hb) {
    // a hash is only a name: data decides (kube compares hashes first, then bytes)
    return false;
  }
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/** FindEqualRevisions: the revisions whose data equals `needle`'s */
export const findEqualRevisions = (revisions: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] =>
  revisions.filter((r) => canonicalJson(r.data) === canonicalJson(needle.data));

const revisionNumber = (r: ControllerRevision): number => Number(r.revision ?? 0);

/** SortControllerRevisions: by revision number, then creation time, then name */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort(
    (a, b) =>
      revisionNumber(a) - revisionNumber(b) ||
      String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')) ||
      String(a.metadata?.name ?? '').localeCompare(String(b.metadata?.name ?? '')),
  );
}

/** nextRevision: one more than the highest revision (1 for the first) */
export const nextRevision = (revisions: readonly ControllerRevision[]): number =>
  revisions.reduce((max, r) => Math.max(max, revisionNumber(r)), 0) + 1;

/** the highest revision number (0 when there is none) */
export const maxRevision = (revisions: readonly ControllerRevision[]): number => nextRevision(revisions) - 1;
