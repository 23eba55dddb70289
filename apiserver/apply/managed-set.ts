/**
 * metadata.managedFields in memory: one field set per manager identity, where an identity is
 * (manager, operation, subresource) for appliers and (manager, operation, apiVersion,
 * subresource) for updaters, as kube keys them (BuildManagerIdentifier). Decoding and
 * encoding follow kube's rules and order:
 *
 *   {"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2026-…Z",
 *    "fieldsType":"FieldsV1","fieldsV1":{…}}
 *
 * Entries are sorted by operation (Apply first), then time (to the second), manager,
 * apiVersion, subresource.
 */
import { FieldSet } from './field-set.js';
import { fromFieldsV1, toFieldsV1, type FieldsV1 } from './fields-v1.js';

export type Operation = 'Apply' | 'Update';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: Operation;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldsV1;
  subresource?: string;
}

export interface ManagerInfo {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
}

export interface ManagedEntry {
  info: ManagerInfo;
  set: FieldSet;
  time?: string;
}

/** identity → entry */
export type Managed = Map<string, ManagedEntry>;

export const identityOf = (info: ManagerInfo): string =>
  JSON.stringify([info.manager, info.operation, info.operation === 'Apply' ? '' : info.apiVersion, info.subresource ?? '']);

export class ManagedFieldsError extends Error {}

export function decodeManaged(entries: unknown): Managed {
  const out: Managed = new Map();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list');
  entries.forEach((raw, i) => {
    const e = (raw ?? {}) as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new ManagedFieldsError('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new ManagedFieldsError('apiVersion must not be empty');
    if (!e.fieldsType) throw new ManagedFieldsError(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new ManagedFieldsError(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const info: ManagerInfo = { manager: e.manager ?? '', operation: e.operation, apiVersion: e.apiVersion };
    if (e.subresource) info.subresource = e.subresource;
    const entry: ManagedEntry = { info, set: fromFieldsV1(e.fieldsV1 ?? {}) };
    if (e.time) entry.time = e.time;
    out.set(identityOf(info), entry);
  });
  return out;
}

/** kube resets managedFields when a request sends [] or [{}] */
export function isResetRequest(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (!entries.length) return true;
  const only = entries[0] as unknown;
  return entries.length === 1 && typeof only === 'object' && only !== null && Object.keys(only).length === 0;
}

const seconds = (time: string | undefined) => (time ? Math.floor(Date.parse(time) / 1000) : 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function encodeManaged(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (!managed.size) return undefined;
  const entries = [...managed.values()].map(({ info, set, time }) => {
    const e: ManagedFieldsEntry = { manager: info.manager, operation: info.operation, apiVersion: info.apiVersion };
    if (time) e.time = time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = toFieldsV1(set);
    if (info.subresource) e.subresource = info.subresource;
    return e;
  });
  return entries.sort(
    (p, q) =>
      cmp(p.operation!, q.operation!) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager!, q.manager!) ||
      cmp(p.apiVersion!, q.apiVersion!) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
}

/** kube's metav1.Time text: RFC 3339 to the second, UTC */
export const timeText = (now: Date): string => `${now.toISOString().slice(0, 19)}Z`;

export const copyManaged = (managed: Managed): Managed => new Map([...managed].map(([k, e]) => [k, { ...e, info: { ...e.info } }]));
