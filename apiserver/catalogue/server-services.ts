/**
 * What handlers of virtual kinds and subresources may use beyond the registry: the one
 * authorizer (access reviews must answer as it would) and, once configured, the issuer
 * and verifier of service account tokens (TokenRequest, TokenReview). Built once per API
 * server and handed to every call; without authentication configured only the
 * authorizer is there.
 */
import { authenticateToken, type AuthenticationOptions, type TokenOutcome } from '../auth/authenticate.js';
import { authorize, type Decision } from '../auth/authorizer.js';
import type { RequestAttributes } from '../auth/request-attributes.js';
import type { ServiceAccountTokens } from '../auth/service-account-token.js';

export interface ServerServices {
  /** the API server's authorizer: the same function every request passes through */
  authorize(attributes: RequestAttributes): Decision;
  /**
   * TokenReview: what the API server's bearer-token authenticators (static tokens, service
   * account JWTs) say about a token meant for `audiences` (empty: the API server's own).
   * Absent when the server has no token authentication.
   */
  authenticateToken?(token: string, audiences: readonly string[], now: Date): TokenOutcome;
  /** TokenRequest (serviceaccounts/token); absent: no issuer, the subresource is not served */
  serviceAccountTokens?: ServiceAccountTokens;
  /**
   * How the API server calls kubelets (pods/log): its client certificate and the CA that
   * signs kubelet serving certificates. Absent: those subresources answer 503.
   */
  kubeletClient?: KubeletClientCredentials;
}

export interface KubeletClientCredentials {
  cert: string;
  key: string;
  ca: string;
}

/**
 * The services of an API server that authenticates with `authentication` (the same
 * options its request hook gets, so TokenReview and requests agree).
 */
export function buildServerServices(
  authentication: AuthenticationOptions,
  serviceAccountTokens?: ServiceAccountTokens,
  kubeletClient?: KubeletClientCredentials,
): ServerServices {
  return {
    authorize,
    authenticateToken: (token, audiences, now) => authenticateToken(token, authentication, audiences, now),
    ...(serviceAccountTokens ? { serviceAccountTokens } : {}),
    ...(kubeletClient ? { kubeletClient } : {}),
  };
}
