/**
 * RFC 6902 JSON patch (application/json-patch+json), as kube applies it with
 * gopkg.in/evanphx/json-patch.v4. That library's quirks are kept where a client could see them:
 *
 * - paths are split on '/', each token unescaped (~1 → '/', then ~0 → '~'); the root
 *   pointer '' is never a target (it errors as a missing path);
 * - `replace` of a missing object member adds it (only a missing array index fails);
 * - `add`/`remove` take negative array indexes counted from the end; `add` takes '-' to append;
 * - a missing `value` is null; `test` of a missing member passes only against null.
 *
 * Every failure while applying becomes a 422 in kube (test-failed for `test`, unapplicable
 * otherwise); a body that is not a list of operation objects is a 400; more than 10000
 * operations is a 413.
 */
import { PatchError } from './errors.js';
import { deepClone, isJsonObject, jsonEqual, setOwn, type Json, type JsonObject } from './json.js';

export interface JsonPatchOperation {
  op?: unknown;
  path?: unknown;
  from?: unknown;
  value?: Json;
}

/** kube's maxJSONPatchOperations */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** Check the decoded body is a JSON patch (a list of objects), as DecodePatch does. */
export function parseJsonPatch(body: unknown): JsonPatchOperation[] {
  // null decodes to an empty patch in Go; any other non-list is a type error
  if (body === null) return [];
  if (!Array.isArray(body)) {
    const got = typeof body === 'boolean' ? 'bool' : typeof body;
    throw new PatchError('invalid-patch', `json: cannot unmarshal ${got} into Go value of type jsonpatch.Patch`);
  }
  for (const op of body) {
    if (op !== null && !isJsonObject(op)) {
      const got = Array.isArray(op) ? 'array' : typeof op;
      throw new PatchError('invalid-patch', `json: cannot unmarshal ${got} into Go value of type jsonpatch.Operation`);
    }
  }
  if (body.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError('too-large', `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${body.length}`);
  }
  return body.map((op) => (op ?? {}) as JsonPatchOperation);
}

/** Apply a JSON patch body to `doc`; `doc` is not modified. */
export function applyJsonPatch(doc: Json, body: unknown): Json {
  const ops = parseJsonPatch(body);
  const root: { doc: Json } = { doc: deepClone(doc) };
  for (const op of ops) applyOperation(root, op);
  return root.doc;
}

type Container = JsonObject | Json[];
interface Target {
  container: Container;
  key: string;
}

const unapplicable = (detail: string) => new PatchError('unapplicable', detail);

function applyOperation(root: { doc: Json }, op: JsonPatchOperation): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add':
      return addAt(target(root, op, 'path', kind), valueOf(op), pathOf(op, 'path', kind));
    case 'remove': {
      const path = pathOf(op, 'path', kind);
      removeAt(locate(root, path, `remove operation does not apply: doc is missing path: "${path}"`), path, 'remove');
      return;
    }
    case 'replace':
      return replaceAt(root, op);
    case 'move':
      return moveOrCopy(root, op, true);
    case 'copy':
      return moveOrCopy(root, op, false);
    case 'test':
      return testAt(root, op);
    default:
      throw unapplicable(`Unexpected kind: ${kind}`);
  }
}

function pathOf(op: JsonPatchOperation, field: 'path' | 'from', kind: string): string {
  const v = op[field];
  if (typeof v !== 'string') throw unapplicable(`${kind} operation failed to decode ${field}: missing value`);
  return v;
}

const valueOf = (op: JsonPatchOperation): Json => (op.value === undefined ? null : deepClone(op.value));

function target(root: { doc: Json }, op: JsonPatchOperation, field: 'path' | 'from', kind: string): Target {
  const path = pathOf(op, field, kind);
  const where = field === 'from' ? 'from path' : kind === 'add' || kind === 'remove' ? 'path' : 'destination path';
  return locate(root, path, `${kind} operation does not apply: doc is missing ${where}: ${kind === 'add' ? `"${path}"` : path}`);
}

/** the container holding the pointer's last token, and that token (unescaped) */
function locate(root: { doc: Json }, pointer: string, missing: string): Target {
  const tokens = pointer.split('/');
  if (tokens.length < 2) throw unapplicable(`${missing}: missing value`);
  let node: Json = root.doc;
  for (const raw of tokens.slice(1, -1)) {
    const next = child(node, unescape(raw));
    if (next === undefined || next === null || typeof next !== 'object') throw unapplicable(`${missing}: missing value`);
    node = next;
  }
  if (node === null || typeof node !== 'object') throw unapplicable(`${missing}: missing value`);
  return { container: node, key: unescape(tokens[tokens.length - 1]!) };
}

const unescape = (token: string) => token.replaceAll('~1', '/').replaceAll('~0', '~');

function child(node: Json, key: string): Json | undefined {
  if (Array.isArray(node)) {
    const i = arrayIndex(key);
    return i !== undefined && i >= 0 && i < node.length ? node[i] : undefined;
  }
  if (isJsonObject(node)) return Object.hasOwn(node, key) ? node[key] : undefined;
  return undefined;
}

/** Go's strconv.Atoi: an optional sign and decimal digits */
function arrayIndex(key: string): number | undefined {
  return /^[+-]?\d+$/.test(key) ? Number(key) : undefined;
}

function indexOrThrow(key: string, detail: string): number {
  const i = arrayIndex(key);
  if (i === undefined) throw unapplicable(`${detail}: strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return i;
}

const invalidIndex = (i: number, context: string) => unapplicable(`${context}: Unable to access invalid index: ${i}: invalid index referenced`);

function addAt({ container, key }: Target, value: Json, path: string): void {
  if (!Array.isArray(container)) {
    setOwn(container, key, value);
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  const context = `error in add for path: '${path}'`;
  let i = indexOrThrow(key, `${context}: value was not a proper array index: '${key}'`);
  const size = container.length + 1;
  if (i >= size || i < -size) throw invalidIndex(i, context);
  if (i < 0) i += size;
  container.splice(i, 0, value);
}

function removeAt({ container, key }: Target, path: string, kind: string): Json {
  const context = `error in ${kind} for path: '${path}'`;
  if (!Array.isArray(container)) {
    if (!Object.hasOwn(container, key)) throw unapplicable(`${context}: Unable to remove nonexistent key: ${key}: missing value`);
    const old = container[key]!;
    delete container[key];
    return old;
  }
  let i = indexOrThrow(key, context);
  if (i >= container.length || i < -container.length) throw invalidIndex(i, context);
  if (i < 0) i += container.length;
  return container.splice(i, 1)[0]!;
}

function replaceAt(root: { doc: Json }, op: JsonPatchOperation): void {
  const path = pathOf(op, 'path', 'replace');
  const { container, key } = locate(root, path, `replace operation does not apply: doc is missing path: ${path}`);
  if (!Array.isArray(container)) {
    setOwn(container, key, valueOf(op));
    return;
  }
  const i = arrayIndex(key);
  if (i === undefined || i < 0 || i >= container.length) throw unapplicable(`replace operation does not apply: doc is missing key: ${path}: missing value`);
  container[i] = valueOf(op);
}

function valueAt({ container, key }: Target, context: string): Json | undefined {
  if (!Array.isArray(container)) return Object.hasOwn(container, key) ? container[key] : undefined;
  const i = indexOrThrow(key, context);
  if (i < 0 || i >= container.length) throw invalidIndex(i, context);
  return container[i];
}

function moveOrCopy(root: { doc: Json }, op: JsonPatchOperation, move: boolean): void {
  const kind = move ? 'move' : 'copy';
  const from = pathOf(op, 'from', kind);
  const source = target(root, op, 'from', kind);
  let value: Json;
  if (move) value = removeAt(source, from, 'move');
  else {
    const found = valueAt(source, `error in copy for from: '${from}'`);
    if (found === undefined) throw unapplicable(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
    value = deepClone(found);
  }
  const path = pathOf(op, 'path', kind);
  addAt(target(root, op, 'path', kind), value, path);
}

function testAt(root: { doc: Json }, op: JsonPatchOperation): void {
  const path = pathOf(op, 'path', 'test');
  const found = valueAt(locate(root, path, `test operation does not apply: is missing path: ${path}`), `error in test for path: '${path}'`);
  const want = op.value === undefined ? null : op.value;
  // a missing member and null compare equal, as in the Go library
  if (jsonEqual(found ?? null, want)) return;
  throw new PatchError('test-failed', `testing value ${path} failed: test failed`);
}
