/**
 * Bound ServiceAccount tokens for projected volumes, kube's token manager: a token is
 * requested through the ServiceAccount's `token` subresource (TokenRequest, bound to the
 * pod by name and uid), cached, and requested again once it is older than 80% of its
 * lifetime or 24 hours, whichever comes first (kube also adds up to 10 s of jitter; k8ts
 * does not, so tests can name the instant). When a refresh fails while the cached token
 * is still valid, the cached one is used, as kube does.
 */
import type { V1Pod, V1ServiceAccountTokenProjection } from '@kubernetes/client-node';
import type { Clock } from '../../client/clock.js';
import type { KubeClient } from '../../client/types.js';

/** kube's API default for serviceAccountToken.expirationSeconds */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

export interface TokenRefreshSettings {
  /** refresh a token once it is older than this (kube: 24 h) */
  maxTokenAgeMs: number;
  /** refresh a token once this fraction of its lifetime has passed (kube: 0.8) */
  refreshAtFraction: number;
  /** after a failed refresh, try again this much later (kube retries on the next pod sync) */
  retryAfterFailureMs: number;
}

export const DEFAULT_TOKEN_REFRESH_SETTINGS: TokenRefreshSettings = {
  maxTokenAgeMs: 24 * 3600_000,
  refreshAtFraction: 0.8,
  retryAfterFailureMs: 10_000,
};

export interface CachedToken {
  token: string;
  /** epoch ms */
  issuedAtMs: number;
  expiresAtMs: number;
}

/** when a token must be requested again (kube's requiresRefresh, without jitter) */
export function refreshAtMs(token: CachedToken, settings: TokenRefreshSettings): number {
  const lifetime = token.expiresAtMs - token.issuedAtMs;
  return Math.min(token.issuedAtMs + settings.maxTokenAgeMs, token.issuedAtMs + Math.floor(lifetime * settings.refreshAtFraction));
}

export interface TokenRequestResult {
  status?: { token?: string; expirationTimestamp?: string | Date };
  spec?: { expirationSeconds?: number };
}

export class ServiceAccountTokens {
  private readonly cache = new Map<string, CachedToken>();

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly settings: TokenRefreshSettings,
  ) {}

  /** the token for one projection, fresh enough; throws when none can be had */
  async token(pod: V1Pod, projection: V1ServiceAccountTokenProjection): Promise<CachedToken> {
    const key = tokenKey(pod, projection);
    const cached = this.cache.get(key);
    const now = this.clock.now();
    if (cached && now < refreshAtMs(cached, this.settings)) return cached;
    try {
      const fresh = await this.request(pod, projection);
      this.cache.set(key, fresh);
      return fresh;
    } catch (err) {
      if (cached && now < cached.expiresAtMs) return cached;
      throw err;
    }
  }

  /** the earliest refresh instant among this pod's cached tokens */
  nextRefreshAtMs(podUid: string): number | undefined {
    let next: number | undefined;
    for (const [key, token] of this.cache) {
      if (!key.startsWith(`${podUid}/`)) continue;
      const at = refreshAtMs(token, this.settings);
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  forgetPod(podUid: string): void {
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${podUid}/`)) this.cache.delete(key);
  }

  private async request(pod: V1Pod, projection: V1ServiceAccountTokenProjection): Promise<CachedToken> {
    const namespace = pod.metadata?.namespace ?? 'default';
    const serviceAccount = pod.spec?.serviceAccountName || 'default';
    const expirationSeconds = projection.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
    const body = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        audiences: projection.audience ? [projection.audience] : [],
        expirationSeconds,
        boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
      },
    };
    const answer = (await this.client.resource('v1', 'ServiceAccount').createSubresource(serviceAccount, 'token', body, { namespace })) as TokenRequestResult;
    const token = answer.status?.token;
    if (!token) throw new Error(`failed to fetch token: the TokenRequest for service account "${serviceAccount}" returned no token`);
    const granted = answer.spec?.expirationSeconds ?? expirationSeconds;
    const exp = answer.status?.expirationTimestamp;
    const expiresAtMs = exp ? new Date(exp).getTime() : this.clock.now() + granted * 1000;
    // kube counts the issue time back from the expiry, by the lifetime the server granted
    return { token, expiresAtMs, issuedAtMs: expiresAtMs - granted * 1000 };
  }
}

const tokenKey = (pod: V1Pod, p: V1ServiceAccountTokenProjection): string =>
  [pod.metadata?.uid ?? '', pod.metadata?.namespace ?? '', pod.spec?.serviceAccountName || 'default', p.audience ?? '', p.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS].join('/');
