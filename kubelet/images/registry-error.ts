/**
 * RegistryError: what a failed registry request becomes, worded like containerd's resolver
 * and fetcher, because these messages reach users unchanged in the kubelet's ErrImagePull
 * events ("failed to pull and unpack image …: <this message>"):
 *
 *   127.0.0.1:5000/busybox:nope: not found
 *   unexpected status from GET request to http://127.0.0.1:5000/v2/x/manifests/y: 401 Unauthorized: unauthorized: authentication required
 *
 * The registry's own `errors[]` (distribution's errcode JSON: code, message) are appended
 * the way docker's errcode formats them ("<code in lower case, spaces>: <message>"), so the
 * user sees the registry's reason, not only a status line. Pure formatting, no I/O.
 */
import { STATUS_CODES } from 'node:http';

export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(
    message: string,
    /** HTTP status of the failing response; 0 when no response came (network error, timeout, bad data). */
    readonly status: number,
    /** The registry's first error code (MANIFEST_UNKNOWN, NAME_UNKNOWN, UNAUTHORIZED, DENIED, …). */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** One entry of distribution's error body `{"errors":[{"code","message","detail"}]}`. */
export interface RegistryErrorEntry {
  code: string;
  message?: string;
}

/** The registry's errors from a response body; [] when it is not distribution's JSON. */
export function parseRegistryErrors(body: string): RegistryErrorEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  const out: RegistryErrorEntry[] = [];
  for (const e of errors) {
    if (e === null || typeof e !== 'object' || typeof (e as { code?: unknown }).code !== 'string') continue;
    const { code, message } = e as { code: string; message?: unknown };
    out.push(typeof message === 'string' ? { code, message } : { code });
  }
  return out;
}

/** docker's errcode text: "manifest unknown: manifest unknown", "unauthorized: authentication required". */
export function formatRegistryErrors(errors: readonly RegistryErrorEntry[]): string {
  return errors
    .map((e) => {
      const code = e.code.toLowerCase().replace(/_/g, ' ');
      return e.message ? `${code}: ${e.message}` : code;
    })
    .join('; ');
}

/** "401 Unauthorized", as Go prints resp.Status (falls back to Node's table for an empty reason). */
export function statusLine(status: number, statusText: string): string {
  return `${status} ${statusText || STATUS_CODES[status] || ''}`.trimEnd();
}

/** containerd's ErrUnexpectedStatus text, plus the registry's errors when it sent any. */
export function unexpectedStatusError(
  method: string,
  url: string,
  status: number,
  statusText: string,
  body: string,
): RegistryError {
  const errors = parseRegistryErrors(body);
  const detail = errors.length > 0 ? `: ${formatRegistryErrors(errors)}` : '';
  return new RegistryError(
    `unexpected status from ${method} request to ${url}: ${statusLine(status, statusText)}${detail}`,
    status,
    errors[0]?.code,
  );
}

/** containerd's resolver on 404: "<ref>: not found", keeping the registry's code. */
export function notFoundError(reference: string, body: string): RegistryError {
  const errors = parseRegistryErrors(body);
  return new RegistryError(`${reference}: not found`, 404, errors[0]?.code);
}
