/**
 * The k8s channel framing of one WebSocket message, both ways, as pure functions.
 *
 * binary protocols (channel.k8s.io, v2..v5): a binary message = [channel byte][payload].
 * base64 protocols (base64.channel.k8s.io, v4.base64...): a text message = the channel as
 * an ASCII digit ('0' + channel) followed by the payload in standard base64.
 * v5 adds one control message from the client: [255, channel] = "channel closed" (EOF).
 *
 * Inbound, kube reads text and binary messages alike (x/net Message.Receive), skips empty
 * messages, and drops a base64 payload that does not decode; we do the same.
 */

/** channel numbers of remote command (exec/attach) */
export const STDIN_CHANNEL = 0;
export const STDOUT_CHANNEL = 1;
export const STDERR_CHANNEL = 2;
export const ERROR_CHANNEL = 3;
export const RESIZE_CHANNEL = 4;
/** v5: the client's close signal, followed by the channel it closes */
export const CLOSE_CHANNEL = 255;

/** The message to send: a Buffer goes out binary, a string goes out as text. */
export function encodeChannelMessage(binary: boolean, channel: number, payload: Uint8Array): Buffer | string {
  if (binary) {
    const frame = Buffer.allocUnsafe(payload.length + 1);
    frame[0] = channel;
    frame.set(payload, 1);
    return frame;
  }
  return String.fromCharCode(48 + channel) + Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('base64');
}

export type DecodedChannelMessage =
  | { kind: 'data'; channel: number; payload: Buffer }
  | { kind: 'close'; channel: number }
  | { kind: 'skip'; reason: string };

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes one received message. `closeSignal` (v5) turns [255, ch] into a close; other
 * protocols treat channel 255 as any unknown channel (the caller drops it).
 */
export function decodeChannelMessage(binary: boolean, closeSignal: boolean, message: Buffer): DecodedChannelMessage {
  if (message.length === 0) return { kind: 'skip', reason: 'empty message' };
  if (binary) {
    const channel = message[0]!;
    if (closeSignal && channel === CLOSE_CHANNEL) {
      if (message.length !== 2) return { kind: 'skip', reason: `close signal with ${message.length - 1} bytes, expected 1` };
      return { kind: 'close', channel: message[1]! };
    }
    return { kind: 'data', channel, payload: message.subarray(1) };
  }
  const channel = message[0]! - 48;
  if (channel < 0 || channel > 9) return { kind: 'skip', reason: `invalid channel character ${JSON.stringify(String.fromCharCode(message[0]!))}` };
  // Go's base64.StdEncoding skips CR and LF; anything else that is not strict base64 is an error
  const text = message.subarray(1).toString('latin1').replace(/[\r\n]/g, '');
  if (!STRICT_BASE64.test(text)) return { kind: 'skip', reason: 'illegal base64 data' };
  return { kind: 'data', channel, payload: Buffer.from(text, 'base64') };
}
