/**
 * Runtime failures, with gRPC's status code names as CRI runtimes return them, so the
 * kubelet reacts the same way whichever transport carried the call (the socket transport
 * sends `code` and `message` and rebuilds the CriError on the other side).
 */

export const CRI_ERROR_CODES = [
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'FailedPrecondition',
  'Unimplemented',
  'Unavailable',
  'Internal',
] as const;

export type CriErrorCode = (typeof CRI_ERROR_CODES)[number];

export class CriError extends Error {
  override name = 'CriError';
  constructor(
    readonly code: CriErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const isCriError = (err: unknown, code?: CriErrorCode): err is CriError => err instanceof CriError && (code === undefined || err.code === code);
