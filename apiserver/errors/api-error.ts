/**
 * Every API failure, from one table: a reason, its HTTP code, and the Status body
 * kubectl reads (kubectl-contract §7). Handlers throw ApiError; one Fastify error
 * handler turns anything thrown into a Status. Store errors map here, in storeError().
 */
import { formatFieldError, type FieldError } from './field-error.js';

export const STATUS_CODES = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
} as const;

export type StatusReason = keyof typeof STATUS_CODES;

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  /** the resource plural, as kube-apiserver fills it (e.g. "pods") */
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason | '';
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly code: number;
  constructor(readonly reason: StatusReason, message: string, readonly details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.code = STATUS_CODES[reason];
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** Who an error is about: kube puts the resource plural in details.kind. */
export interface ErrorTarget {
  group: string;
  /** plural, e.g. "pods" */
  resource: string;
  name?: string;
}

/** "pods" or "deployments.apps": how kube-apiserver names a resource in messages */
export const qualifiedResource = (t: ErrorTarget) => (t.group ? `${t.resource}.${t.group}` : t.resource);

const detailsOf = (t: ErrorTarget): StatusDetails => ({ ...(t.name !== undefined ? { name: t.name } : {}), group: t.group, kind: t.resource });

export const apiErrors = {
  badRequest: (message: string, causes?: StatusCause[]) => new ApiError('BadRequest', message, causes ? { causes } : undefined),
  notFound: (t: ErrorTarget) => new ApiError('NotFound', `${qualifiedResource(t)} "${t.name ?? ''}" not found`, detailsOf(t)),
  alreadyExists: (t: ErrorTarget) => new ApiError('AlreadyExists', `${qualifiedResource(t)} "${t.name ?? ''}" already exists`, detailsOf(t)),
  conflict: (t: ErrorTarget, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    new ApiError('Conflict', `Operation cannot be fulfilled on ${qualifiedResource(t)} "${t.name ?? ''}": ${why}`, detailsOf(t)),
  /** 422 with one cause per field error; `kind` here is the Kind (e.g. "Pod"), as kube writes it */
  invalid: (kind: string, group: string, name: string, errors: FieldError[]) => {
    const text = errors.length === 1 ? formatFieldError(errors[0]!) : `[${errors.map(formatFieldError).join(', ')}]`;
    // kube names the kind qualified by its group: `Deployment.apps "web" is invalid: …`
    return new ApiError('Invalid', `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${text}`, {
      name,
      group,
      kind,
      causes: errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
    });
  },
  /** no such resource or path at all (not a missing object) */
  notFoundPath: () => new ApiError('NotFound', 'the server could not find the requested resource', {}),
  methodNotAllowed: (message: string) => new ApiError('MethodNotAllowed', message),
  notAcceptable: (message: string) => new ApiError('NotAcceptable', message),
  unsupportedMediaType: (contentType: string) => new ApiError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`, { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] }),
  tooLarge: (message = 'Request entity too large: limit is 3145728') => new ApiError('RequestEntityTooLarge', message),
  expired: (message: string) => new ApiError('Expired', message),
  gone: (message: string) => new ApiError('Gone', message),
  forbidden: (message: string) => new ApiError('Forbidden', message),
  unauthorized: (message = 'Unauthorized') => new ApiError('Unauthorized', message),
  internal: (message: string) => new ApiError('InternalError', message),
  unavailable: (message: string) => new ApiError('ServiceUnavailable', message),
};
