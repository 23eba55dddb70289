/**
 * Decoding of application/vnd.kubernetes.protobuf request bodies (what kubectl 1.32+
 * sends for `create <generator>`, `create token` and `auth can-i/whoami`) into the
 * JSON-shaped objects the rest of the API server works on.
 */
export { decodeProtobufBody, PROTOBUF_MAGIC, PROTOBUF_MEDIA_TYPE, type DecodedProtobufBody } from './decode.js';
export { ACCEPTED_MEDIA_TYPES, MalformedProtobufError, ProtobufBodyError, UnsupportedProtobufKindError } from './errors.js';
export { SUPPORTED_KINDS } from './schema/index.js';
