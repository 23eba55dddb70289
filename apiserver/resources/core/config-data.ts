/**
 * Rules ConfigMaps and Secrets share: keys are "config keys" (they become file names in a
 * volume), the whole payload is at most 1 MiB, and `immutable: true` freezes the data.
 * Worded as kube-apiserver words them.
 */
import { fieldErrors, type FieldError } from '../../errors/field-error.js';

/** kube's MaxSecretSize, also the ConfigMap limit */
export const MAX_CONFIG_DATA_BYTES = 1024 * 1024;

const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_KEY_RE = new RegExp(`^${CONFIG_KEY_FMT}$`);

/** kube's IsConfigMapKey: the detail strings for an invalid key (empty = valid) */
export function configKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!CONFIG_KEY_RE.test(key)) {
    errs.push(
      `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '${CONFIG_KEY_FMT}')`,
    );
  }
  // keys become file names; '.' and '..' would escape the volume directory
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** Invalid key errors for every key of a map at `field[key]`. */
export function validateConfigKeys(map: Record<string, unknown> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(map ?? {})) {
    for (const msg of configKeyErrors(key)) errs.push(fieldErrors.invalid(`${field}[${key}]`, key, msg));
  }
  return errs;
}

/** A map field that must be a JSON object of strings. */
export function validateStringMap(map: unknown, field: string): FieldError[] {
  if (map === undefined || map === null) return [];
  if (typeof map !== 'object' || Array.isArray(map)) return [fieldErrors.typeInvalid(field, map, 'must be an object')];
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') errs.push(fieldErrors.typeInvalid(`${field}[${key}]`, value, 'must be a string'));
  }
  return errs;
}

/**
 * Go's base64.StdEncoding rules (what kube's JSON decoding of []byte applies): the
 * standard alphabet, padded to a multiple of 4; CR and LF are ignored. Returns the
 * decoded length, or the input byte offset Go would report as illegal.
 */
export function decodeBase64Strict(text: string): { ok: true; bytes: number } | { ok: false; offset: number } {
  const clean = text.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(clean);
  if (bad) return { ok: false, offset: bad.index };
  const pad = clean.indexOf('=');
  if (pad >= 0) {
    // padding only at the end, at most two, and the whole input a multiple of 4
    const tail = clean.slice(pad);
    if (!/^={1,2}$/.test(tail) || clean.length % 4 !== 0) return { ok: false, offset: pad };
  } else if (clean.length % 4 !== 0) {
    return { ok: false, offset: clean.length - (clean.length % 4) };
  }
  return { ok: true, bytes: Buffer.from(clean, 'base64').length };
}

/** kube's message for changes to a frozen ConfigMap or Secret */
export const IMMUTABLE_SET = 'field is immutable when `immutable` is set';

/**
 * Once `immutable: true`, data and binaryData may not change and immutable may not be
 * unset (metadata may still change: labels, finalizers, deletion).
 */
export function validateImmutableData(obj: Record<string, unknown>, old: Record<string, unknown>, dataFields: readonly string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fieldErrors.forbidden('immutable', IMMUTABLE_SET));
  for (const f of dataFields) {
    if (!sameStringMap(obj[f], old[f])) errs.push(fieldErrors.forbidden(f, IMMUTABLE_SET));
  }
  return errs;
}

function sameStringMap(a: unknown, b: unknown): boolean {
  const ea = Object.entries((a ?? {}) as Record<string, unknown>);
  const eb = (b ?? {}) as Record<string, unknown>;
  return ea.length === Object.keys(eb).length && ea.every(([k, v]) => eb[k] === v);
}
