/**
 * Test helper: builds protobuf request bodies with our own schema, the way a client
 * would (magic + runtime.Unknown around the kind's message), so tests can round-trip
 * objects without kubectl. `fields` uses protobufjs's fromObject shapes (Time as
 * {seconds}, IntOrString as {type, intVal|strVal}, Quantity as {string}).
 */
import { PROTOBUF_MAGIC } from './decode.js';
import { messageTypeFor, UNKNOWN_TYPE } from './schema/index.js';

export function envelope(apiVersion: string, kind: string, raw: Uint8Array, extra: Record<string, unknown> = {}): Buffer {
  const unknown = UNKNOWN_TYPE.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '', ...extra });
  return Buffer.concat([PROTOBUF_MAGIC, UNKNOWN_TYPE.encode(unknown).finish()]);
}

export function encodeBody(apiVersion: string, kind: string, fields: Record<string, unknown>): Buffer {
  const type = messageTypeFor(apiVersion, kind);
  if (!type) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return envelope(apiVersion, kind, type.encode(type.fromObject(fields)).finish());
}
