/** Store errors, mapped to API errors in this one place. */
import { CompactedError, FutureRevisionError, InvalidKeyError, StoreClosedError, WatchCancelledError } from '../../store/errors.js';
import { ApiError, apiErrors } from '../errors/api-error.js';

export function fromStoreError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof CompactedError) return apiErrors.expired(`too old resource version: ${err.requested} (${err.compactedRevision})`);
  if (err instanceof FutureRevisionError) {
    return new ApiError('Timeout', `Too large resource version: ${err.requested}, current: ${err.currentRevision}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  }
  // names kube allows but keys cannot hold (a NUL in a path-segment name): the client's to fix
  if (err instanceof InvalidKeyError) return apiErrors.badRequest(`the object cannot be stored under its name: ${err.message}`);
  if (err instanceof StoreClosedError || err instanceof WatchCancelledError) return apiErrors.unavailable('the server is shutting down');
  return err;
}
