/**
 * Turns a decoded protobufjs message into the JSON object kube-apiserver would have read
 * from the same object's JSON encoding: Go's omitempty rules (see the (keep) option in
 * schema/meta.ts), int64 as numbers, bytes as base64, metav1.Time as RFC 3339 (null
 * when empty, like a zero time), IntOrString as a number or a string, Quantity as its
 * string, embedded structs ((inline) option) merged into their parent.
 */
import protobuf from 'protobufjs';
import { MalformedProtobufError } from './errors.js';

type Fields = Record<string, unknown>;

const fieldsOf = (message: unknown): Fields => message as Fields;

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value !== null && typeof value === 'object' && 'low' in value && 'high' in value) {
    const long = value as { low: number; high: number; unsigned?: boolean };
    return new protobuf.util.LongBits(long.low >>> 0, long.high >>> 0).toNumber(long.unsigned === true);
  }
  return Number(value);
}

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function scalar(type: string, value: unknown): unknown {
  if (LONG_TYPES.has(type)) return toNumber(value);
  if (type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  return value;
}

const isZero = (value: unknown): boolean => value === '' || value === 0 || value === false;

/** RFC 3339 at second precision in UTC, as metav1.Time marshals; Go refuses years outside 0–9999. */
function rfc3339(seconds: number): string {
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 0 || year > 9999) {
    throw new MalformedProtobufError(`time out of range: ${seconds} seconds since the epoch`);
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function time(message: unknown): string | null {
  const f = fieldsOf(message);
  if (!Object.hasOwn(f, 'seconds') && !Object.hasOwn(f, 'nanos')) return null;
  return rfc3339(Object.hasOwn(f, 'seconds') ? toNumber(f.seconds) : 0);
}

function intOrString(message: unknown): number | string {
  const f = fieldsOf(message);
  const type = Object.hasOwn(f, 'type') ? toNumber(f.type) : 0;
  if (type === 0) return Object.hasOwn(f, 'intVal') ? (f.intVal as number) : 0;
  if (type === 1) return Object.hasOwn(f, 'strVal') ? (f.strVal as string) : '';
  throw new MalformedProtobufError(`impossible IntOrString.Type: ${type}`);
}

function fieldsV1(message: unknown): unknown {
  const f = fieldsOf(message);
  if (!Object.hasOwn(f, 'Raw')) return {};
  try {
    return JSON.parse(Buffer.from(f.Raw as Uint8Array).toString('utf8')) as unknown;
  } catch {
    throw new MalformedProtobufError('managedFields fieldsV1 is not valid JSON');
  }
}

/** Types whose JSON form is not an object of their fields. */
const SPECIAL: Record<string, (message: unknown) => unknown> = {
  '.meta.Time': time,
  '.meta.IntOrString': intOrString,
  '.meta.Quantity': (m) => {
    const s = fieldsOf(m).string;
    return typeof s === 'string' && s !== '' ? s : '0';
  },
  '.meta.FieldsV1': fieldsV1,
};

function value(field: protobuf.Field, raw: unknown): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) return messageToJson(raw, type);
  return scalar(field.type, raw);
}

function mapToJson(field: protobuf.Field, raw: unknown): Fields | undefined {
  const entries = Object.entries((raw ?? {}) as Fields);
  if (entries.length === 0) return undefined;
  // fromEntries defines own properties, so a key such as "__proto__" survives
  return Object.fromEntries(entries.map(([key, v]) => [key, value(field, v)]));
}

/** The JSON form of one message of `type` (a plain object, or a special type's value). */
export function messageToJson(message: unknown, type: protobuf.Type): unknown {
  const special = SPECIAL[type.fullName];
  if (special) return special(message);
  const f = fieldsOf(message);
  const out: Fields = {};
  for (const field of type.fieldsArray) {
    const name = field.name;
    let converted: unknown;
    if (field.map) {
      converted = mapToJson(field, f[name]);
    } else if (field.repeated) {
      const list = (f[name] ?? []) as unknown[];
      converted = list.length === 0 ? undefined : list.map((item) => value(field, item));
    } else if (Object.hasOwn(f, name)) {
      converted = value(field, f[name]);
      // omitempty never drops a struct, so zero-valued IntOrString/Quantity messages stay
      const isMessage = field.resolvedType instanceof protobuf.Type;
      if (!isMessage && isZero(converted) && field.options?.['(keep)'] !== true) converted = undefined;
    }
    if (converted === undefined) continue;
    if (field.options?.['(inline)'] === true && converted !== null && typeof converted === 'object') {
      Object.assign(out, converted);
    } else {
      out[name] = converted;
    }
  }
  return out;
}
