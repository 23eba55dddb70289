/** Key and range checks shared by every store operation. */
import { InvalidKeyError, InvalidRangeError } from './errors.js';

export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError('key must be a non-empty string');
  if (key.includes('\0')) throw new InvalidKeyError(`key ${JSON.stringify(key)} contains a NUL character`);
}

/**
 * Validates an etcd-style range; rangeEnd '\0' means "every key >= key". A range may
 * start at a key containing NUL (the next page after `k` starts at k + '\0'); only
 * written keys must be free of it.
 */
export function checkRange(key: unknown, rangeEnd: unknown): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError('range key must be a non-empty string');
  if (rangeEnd === undefined || rangeEnd === '\0') return;
  if (typeof rangeEnd !== 'string') throw new InvalidRangeError('rangeEnd must be a string');
  if (rangeEnd <= key) throw new InvalidRangeError(`rangeEnd ${JSON.stringify(rangeEnd)} does not sort after key ${JSON.stringify(key)}`);
}

export function inRange(candidate: string, key: string, rangeEnd: string | undefined): boolean {
  if (rangeEnd === undefined) return candidate === key;
  if (candidate < key) return false;
  return rangeEnd === '\0' || candidate < rangeEnd;
}

export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
