/**
 * Which sub-protocol a streaming connection speaks, as kube negotiates it.
 *
 * SPDY (httpstream.Handshake): the client lists its versions in X-Stream-Protocol-Version
 * headers, best first; the server takes the first it supports. None in common is a 403
 * naming both lists; no header at all is a 400. Over SPDY the kubelet offers exec/attach
 * v4 down to v1 — v5 only adds the WebSocket close channel, so kubectl's SPDY fallback,
 * which offers v5 first, gets v4 (Status JSON exit codes), as with kube's kubelet.
 *
 * WebSocket: the same rule over Sec-WebSocket-Protocol (./websocket/subprotocols.ts).
 */
export const SPDY_REMOTE_COMMAND_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const;
export const SPDY_PORT_FORWARD_PROTOCOLS = ['portforward.k8s.io'] as const;

export type Negotiation = { protocol: string } | { code: 400 | 403; message: string };

/** `headerValue`: the X-Stream-Protocol-Version header(s), as Node joins repeats (", ") */
export function negotiateSpdyProtocol(headerValue: string | string[] | undefined, supported: readonly string[]): Negotiation {
  const client = (Array.isArray(headerValue) ? headerValue : headerValue === undefined ? [] : [headerValue])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (client.length === 0) return { code: 400, message: 'unable to upgrade: X-Stream-Protocol-Version is required' };
  const chosen = client.find((p) => supported.includes(p));
  if (chosen === undefined) {
    return { code: 403, message: `unable to upgrade: unable to negotiate protocol: client supports [${client.join(' ')}], server accepts [${supported.join(' ')}]` };
  }
  return { protocol: chosen };
}
