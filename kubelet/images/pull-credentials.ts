/**
 * The CRI's AuthConfig (from an imagePullSecret, as the kubelet found it for the image's
 * registry) turned into what the registry client sends. As in containerd's ParseAuth: a
 * username/password pair wins; otherwise `auth` is base64("user:password"); an identity
 * token (OAuth2 refresh token) and a registry token (a ready Bearer token) are passed on.
 * Pure.
 */
import type { AuthConfig } from '../cri/api.js';
import type { RegistryCredentials } from './registry-client.js';

export function credentialsFromAuth(auth: Partial<AuthConfig> | undefined): RegistryCredentials | undefined {
  if (auth === undefined) return undefined;
  const out: RegistryCredentials = {};
  if (auth.username) {
    out.username = auth.username;
    out.password = auth.password ?? '';
  } else if (auth.auth) {
    const decoded = Buffer.from(auth.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new Error('invalid auth configuration: "auth" is not base64 of user:password');
    out.username = decoded.slice(0, colon);
    out.password = decoded.slice(colon + 1);
  }
  if (auth.identityToken) out.identityToken = auth.identityToken;
  if (auth.registryToken) out.registryToken = auth.registryToken;
  return Object.keys(out).length > 0 ? out : undefined;
}
