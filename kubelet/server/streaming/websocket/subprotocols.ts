/**
 * WebSocket subprotocol names and negotiation, as kube's wsstream does it.
 *
 * Why a module of its own: the choice of subprotocol decides everything that follows
 * (binary or base64 framing, Status JSON or plain text at the end, whether the client's
 * close signal exists), so the rule and the per-protocol traits live in one pure place
 * that the handshake and both channel adapters read.
 *
 * kube's rule (wsstream `handshake`): walk the CLIENT's list in its order and take the
 * first entry the server supports; a request without the header counts as offering the
 * single protocol "" (legacy clients), which is accepted only when "" is supported. When
 * nothing matches, the upgrade is refused (x/net/websocket answers 403).
 */

export const V5_CHANNEL_PROTOCOL = 'v5.channel.k8s.io';
export const V4_CHANNEL_PROTOCOL = 'v4.channel.k8s.io';
export const V4_BASE64_CHANNEL_PROTOCOL = 'v4.base64.channel.k8s.io';
export const V3_CHANNEL_PROTOCOL = 'v3.channel.k8s.io';
export const V2_CHANNEL_PROTOCOL = 'v2.channel.k8s.io';
export const V1_CHANNEL_PROTOCOL = 'channel.k8s.io';
export const V1_BASE64_CHANNEL_PROTOCOL = 'base64.channel.k8s.io';
/** what kubectl 1.31+ offers for port-forward: a SPDY/3.1 byte stream carried in binary messages */
export const SPDY_PORT_FORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
/** the "protocol" of a client that sent no Sec-WebSocket-Protocol header at all */
export const NO_SUBPROTOCOL = '';

/** Everything exec/attach can speak over WebSocket, newest first (order is informational only). */
export const REMOTE_COMMAND_SUBPROTOCOLS: readonly string[] = [
  V5_CHANNEL_PROTOCOL,
  V4_CHANNEL_PROTOCOL,
  V4_BASE64_CHANNEL_PROTOCOL,
  V3_CHANNEL_PROTOCOL,
  V2_CHANNEL_PROTOCOL,
  V1_CHANNEL_PROTOCOL,
  V1_BASE64_CHANNEL_PROTOCOL,
  NO_SUBPROTOCOL,
];

/**
 * The kubelet's plain WebSocket port-forward (portforward/websocket.go): v4 binary/base64 and
 * "". k8ts also takes v5 — v4's framing plus the close signal, with which a browser client
 * half-closes one port's stream — so a client can use one protocol for exec and forwarding.
 */
export const PORT_FORWARD_SUBPROTOCOLS: readonly string[] = [V5_CHANNEL_PROTOCOL, V4_CHANNEL_PROTOCOL, V4_BASE64_CHANNEL_PROTOCOL, NO_SUBPROTOCOL];

/**
 * Splits a Sec-WebSocket-Protocol header (or several, as Node joins repeated headers with
 * ", ") into the client's list, in order. Like Go's x/net/websocket: split on commas and
 * trim; no token validation, so "SPDY/3.1+portforward.k8s.io" survives (ws's own parser
 * rejects the '/').
 */
export function parseOfferedSubprotocols(header: string | readonly string[] | undefined): string[] {
  if (header === undefined) return [];
  const joined = typeof header === 'string' ? header : header.join(',');
  if (joined.trim() === '') return [];
  return joined.split(',').map((p) => p.trim());
}

/** kube's choice: the first offered protocol that is supported; undefined = refuse. */
export function chooseSubprotocol(offered: readonly string[], supported: readonly string[]): string | undefined {
  const candidates = offered.length === 0 ? [NO_SUBPROTOCOL] : offered;
  return candidates.find((p) => supported.includes(p));
}

/** The refusal text kube logs (Go prints slices as [a b]). */
export function unsupportedSubprotocolMessage(offered: readonly string[], supported: readonly string[]): string {
  return `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${supported.join(' ')}]`;
}

/** How a negotiated channel protocol behaves on the wire. */
export interface ChannelProtocolTraits {
  /** binary messages with a channel byte; false = text messages, channel digit + base64 */
  binary: boolean;
  /** v4+: the end Status is JSON on the error channel; earlier: only a failure's message text */
  statusAsJson: boolean;
  /** v5: the client's [255, channel] message half-closes that channel */
  closeSignal: boolean;
}

/**
 * Traits per protocol. "" is the legacy default: binary, v1 rules. Unknown names get v1
 * binary rules too, which is what kube's protocol map gives "" and "channel.k8s.io".
 */
export function channelProtocolTraits(protocol: string): ChannelProtocolTraits {
  switch (protocol) {
    case V5_CHANNEL_PROTOCOL:
      return { binary: true, statusAsJson: true, closeSignal: true };
    case V4_CHANNEL_PROTOCOL:
      return { binary: true, statusAsJson: true, closeSignal: false };
    case V4_BASE64_CHANNEL_PROTOCOL:
      return { binary: false, statusAsJson: true, closeSignal: false };
    case V1_BASE64_CHANNEL_PROTOCOL:
      return { binary: false, statusAsJson: false, closeSignal: false };
    default:
      return { binary: true, statusAsJson: false, closeSignal: false };
  }
}
