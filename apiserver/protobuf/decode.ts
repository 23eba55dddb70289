/**
 * Decodes a request body sent as application/vnd.kubernetes.protobuf: the 4-byte magic
 * "k8s\0", then a runtime.Unknown whose typeMeta names the kind and whose raw bytes are
 * the kind's own message. Returns the object in the JSON shape kube would have decoded.
 */
import { MalformedProtobufError, UnsupportedProtobufKindError } from './errors.js';
import { messageTypeFor, UNKNOWN_TYPE } from './schema/index.js';
import { messageToJson } from './to-json.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface DecodedProtobufBody {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

interface Envelope {
  typeMeta?: { apiVersion?: string; kind?: string };
  raw?: Uint8Array;
}

/** protobufjs throws plain Errors (or RangeErrors) on bad wire data; give them our type. */
function guarded<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof MalformedProtobufError) throw err;
    throw new MalformedProtobufError(`unable to decode ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function decodeProtobufBody(bytes: Buffer): DecodedProtobufBody {
  if (bytes.length < PROTOBUF_MAGIC.length || !bytes.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)) {
    throw new MalformedProtobufError(
      `provided data does not appear to be a protobuf message, expected prefix [${[...PROTOBUF_MAGIC].join(' ')}]`,
    );
  }
  const envelope = guarded('the protobuf envelope', () => UNKNOWN_TYPE.decode(bytes.subarray(PROTOBUF_MAGIC.length)) as Envelope);
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  if (kind === '') throw new MalformedProtobufError("Object 'Kind' is missing in the protobuf envelope");
  if (apiVersion === '') throw new MalformedProtobufError("Object 'apiVersion' is missing in the protobuf envelope");
  const type = messageTypeFor(apiVersion, kind);
  if (!type) throw new UnsupportedProtobufKindError(apiVersion, kind);
  const raw = envelope.raw ?? new Uint8Array();
  const fields = guarded(`${kind}`, () => messageToJson(type.decode(raw), type)) as Record<string, unknown>;
  return { apiVersion, kind, object: { apiVersion, kind, ...fields } };
}
