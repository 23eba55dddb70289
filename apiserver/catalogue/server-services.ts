/**
 * What handlers of virtual kinds and subresources may use beyond the registry: the one
 * authorizer (access reviews must answer as it would) and, once configured, the issuer
 * and verifier of service account tokens (TokenRequest, TokenReview). Built once per API
 * server (build-api-server.ts) and handed to every call.
 */
import type { Decision } from '../auth/authorizer.js';
import type { RequestAttributes } from '../auth/request-attributes.js';

export interface ServerServices {
  /** the API server's authorizer: the same function every request passes through */
  authorize(attributes: RequestAttributes): Decision;
}
