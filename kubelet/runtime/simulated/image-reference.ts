/**
 * Image references normalized the way containerd records them, so the simulated runtime
 * reports the same repoTags a real node would:
 *
 *   nginx                       → docker.io/library/nginx:latest
 *   bitnami/redis:7             → docker.io/bitnami/redis:7
 *   localhost:5000/app          → localhost:5000/app:latest
 *   ghcr.io/x/y@sha256:abc…     → ghcr.io/x/y@sha256:abc… (a digest, no tag)
 *
 * The first path component is a registry when it has a '.' or ':' or is `localhost`
 * (Docker's rule); otherwise the image lives on Docker Hub.
 */

export interface NormalizedImage {
  /** registry/repository, no tag or digest */
  repository: string;
  /** repository:tag, or undefined for a by-digest reference */
  repoTag: string | undefined;
  /** repository@digest when the reference carried one */
  repoDigest: string | undefined;
  /** the one name the image is known by: repoTag, else repoDigest */
  canonical: string;
}

export function normalizeImageReference(reference: string): NormalizedImage {
  const ref = reference.trim();
  const slash = ref.indexOf('/');
  const head = slash < 0 ? '' : ref.slice(0, slash);
  const hasRegistry = head !== '' && (head.includes('.') || head.includes(':') || head === 'localhost');
  const registry = hasRegistry ? head : 'docker.io';
  let path = hasRegistry ? ref.slice(slash + 1) : ref;
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;

  let digest: string | undefined;
  const at = path.indexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
  }
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  const repository = `${registry}/${path}`;
  if (!digest && !tag) tag = 'latest';
  const repoTag = tag ? `${repository}:${tag}` : undefined;
  const repoDigest = digest ? `${repository}@${digest}` : undefined;
  return { repository, repoTag, repoDigest, canonical: (repoTag ?? repoDigest)! };
}
