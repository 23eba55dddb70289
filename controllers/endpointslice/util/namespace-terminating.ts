/** kube's errors.HasStatusCause(err, NamespaceTerminatingCause): creates will keep failing, so the key is dropped */
import { ApiError } from '../../../client/api-error.js';

export const isNamespaceTerminating = (err: unknown): boolean =>
  err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
