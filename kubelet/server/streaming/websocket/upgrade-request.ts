/**
 * Is this HTTP request a WebSocket upgrade we can complete? A pure check, so the refusal
 * (status, text) is decided in one table-tested place before `ws` touches the socket.
 *
 * Mirrors kube: wsstream.IsWebSocketRequest (Upgrade: websocket, Connection lists
 * "upgrade", both case-insensitive) plus the RFC 6455 checks x/net/websocket makes (GET,
 * Sec-WebSocket-Key present, Sec-WebSocket-Version 13; a wrong version is answered with
 * the version we speak).
 */
import type { IncomingHttpHeaders } from 'node:http';

export type UpgradeCheck =
  | { ok: true }
  | { ok: false; code: number; message: string; headers?: Record<string, string> };

function single(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

export function checkWebSocketUpgrade(method: string | undefined, headers: IncomingHttpHeaders): UpgradeCheck {
  if (method !== 'GET') return { ok: false, code: 400, message: 'websocket upgrade requires the GET method' };
  if (single(headers.upgrade).trim().toLowerCase() !== 'websocket') {
    return { ok: false, code: 400, message: 'missing or invalid Upgrade header, expected "websocket"' };
  }
  const connectionTokens = single(headers.connection)
    .toLowerCase()
    .split(',')
    .map((s) => s.trim());
  if (!connectionTokens.includes('upgrade')) {
    return { ok: false, code: 400, message: 'missing or invalid Connection header, expected "Upgrade"' };
  }
  if (single(headers['sec-websocket-version']).trim() !== '13') {
    return {
      ok: false,
      code: 400,
      message: 'missing or unsupported Sec-WebSocket-Version, expected 13',
      headers: { 'Sec-WebSocket-Version': '13' },
    };
  }
  if (single(headers['sec-websocket-key']).trim() === '') {
    return { ok: false, code: 400, message: 'missing Sec-WebSocket-Key header' };
  }
  return { ok: true };
}
