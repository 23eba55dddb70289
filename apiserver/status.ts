/**
 * Kubernetes `Status` objects: the body of every API error. Clients (kubectl, client-go,
 * @kubernetes/client-node) read `reason` and `code`, so errors must look exactly like this.
 * The full table of API errors (and the store-error mapping) grows here in later issues.
 */

export type StatusReason = 'BadRequest' | 'NotFound' | 'ServiceUnavailable' | 'InternalError';

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: StatusReason;
  details: Record<string, unknown>;
  code: number;
}

export function failureStatus(code: number, reason: StatusReason, message: string, details: Record<string, unknown> = {}): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}
