/**
 * Validation of a transaction before anything is applied: a transaction with a bad
 * key, range, compare or a key written twice is rejected whole, so no half-applied
 * transaction can exist.
 */
import { DuplicateKeyError, InvalidCompareError, InvalidRequestError } from './errors.js';
import { checkKey, checkRange, inRange } from './keys.js';
import type { Compare, KeyValue, Op, Txn } from './types.js';

const NUMERIC_TARGETS = new Set(['modRevision', 'createRevision', 'version', 'lease']);
const RESULTS = new Set(['=', '!=', '<', '>']);

export function checkTxn(txn: Txn): void {
  if (txn === null || typeof txn !== 'object') throw new InvalidRequestError('txn must be an object');
  for (const list of [txn.compare, txn.success, txn.failure]) {
    if (list !== undefined && !Array.isArray(list)) throw new InvalidRequestError('compare, success and failure must be arrays');
  }
  for (const c of txn.compare ?? []) checkCompare(c);
  checkOps(txn.success ?? []);
  checkOps(txn.failure ?? []);
}

function checkCompare(c: Compare): void {
  if (c === null || typeof c !== 'object') throw new InvalidCompareError('compare must be an object');
  checkKey(c.key);
  if (!RESULTS.has(c.result)) throw new InvalidCompareError(`unknown compare result ${JSON.stringify(c.result)}`);
  if (c.target === 'value') {
    if (!(c.value instanceof Uint8Array)) throw new InvalidCompareError('a value compare needs bytes');
  } else if (NUMERIC_TARGETS.has(c.target)) {
    if (typeof c.value !== 'number' || !Number.isFinite(c.value)) throw new InvalidCompareError(`a ${c.target} compare needs a number`);
  } else {
    throw new InvalidCompareError(`unknown compare target ${JSON.stringify(c.target)}`);
  }
}

function checkOps(ops: Op[]): void {
  const puts = new Set<string>();
  const deletes: { key: string; rangeEnd: string | undefined }[] = [];
  for (const op of ops) {
    if (op === null || typeof op !== 'object') throw new InvalidRequestError('an operation must be an object');
    switch (op.type) {
      case 'put':
        checkKey(op.key);
        if (!(op.value instanceof Uint8Array)) throw new InvalidRequestError(`value of ${JSON.stringify(op.key)} must be bytes`);
        if (op.lease !== undefined && !(Number.isSafeInteger(op.lease) && op.lease >= 0)) throw new InvalidRequestError('lease must be a non-negative integer');
        if (puts.has(op.key)) throw new DuplicateKeyError(`key ${JSON.stringify(op.key)} written twice in one transaction`);
        puts.add(op.key);
        break;
      case 'delete':
        checkRange(op.key, op.rangeEnd);
        deletes.push({ key: op.key, rangeEnd: op.rangeEnd });
        break;
      case 'range':
        checkRange(op.key, op.rangeEnd);
        break;
      default:
        throw new InvalidRequestError(`unknown operation type ${JSON.stringify((op as { type: unknown }).type)}`);
    }
  }
  for (const d of deletes) {
    for (const p of puts) {
      if (inRange(p, d.key, d.rangeEnd)) throw new DuplicateKeyError(`key ${JSON.stringify(p)} both put and deleted in one transaction`);
    }
  }
}

const EMPTY = new Uint8Array(0);

/** Evaluates one compare against the key's current version (undefined = missing). */
export function compareHolds(c: Compare, kv: KeyValue | undefined): boolean {
  let order: number;
  if (c.target === 'value') {
    order = Buffer.compare(kv?.value ?? EMPTY, c.value as Uint8Array);
  } else {
    const actual = kv ? kv[c.target] : 0;
    order = Math.sign(actual - (c.value as number));
  }
  switch (c.result) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '>':
      return order > 0;
  }
}
