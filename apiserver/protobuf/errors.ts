/**
 * Typed failures of protobuf body decoding, so the request decoder can map them to kube's
 * answers without inspecting messages: an unsupported kind is 415, bad bytes are 400.
 */
export const ACCEPTED_MEDIA_TYPES = 'application/json, application/yaml, application/vnd.kubernetes.protobuf';

export abstract class ProtobufBodyError extends Error {
  abstract readonly statusCode: 400 | 415;
}

/** The envelope is fine but names a kind this server has no protobuf schema for. */
export class UnsupportedProtobufKindError extends ProtobufBodyError {
  override readonly name = 'UnsupportedProtobufKindError';
  readonly statusCode = 415;
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(`the body of the request was in an unknown format - accepted media types include: ${ACCEPTED_MEDIA_TYPES}`);
  }
}

/** The bytes are not a valid kube protobuf body (missing magic, bad wire data, impossible values). */
export class MalformedProtobufError extends ProtobufBodyError {
  override readonly name = 'MalformedProtobufError';
  readonly statusCode = 400;
}
