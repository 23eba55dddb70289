/**
 * Anything thrown while serving a request, as the Status kubectl reads: ApiErrors as
 * they are, Fastify's own client errors by their code, everything else a 500 whose
 * details stay in the log.
 */
import { ApiError, apiErrors, type Status } from '../errors/api-error.js';

const FASTIFY_CLIENT_ERRORS: Record<string, () => ApiError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => apiErrors.tooLarge(),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => apiErrors.unsupportedMediaType('unknown'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => apiErrors.badRequest('the body of the request was empty'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => apiErrors.badRequest('the request Content-Length does not match its body'),
};

export function errorStatus(err: unknown): { status: Status; serverFault: boolean } {
  if (err instanceof ApiError) return { status: err.toStatus(), serverFault: err.code >= 500 };
  const e = err as { code?: string; statusCode?: number; message?: string };
  const known = e.code ? FASTIFY_CLIENT_ERRORS[e.code] : undefined;
  if (known) return { status: known().toStatus(), serverFault: false };
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: apiErrors.badRequest(e.message ?? 'bad request').toStatus(), serverFault: false };
  }
  return { status: apiErrors.internal('an error on the server has prevented the request from succeeding').toStatus(), serverFault: true };
}
