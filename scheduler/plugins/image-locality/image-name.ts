/**
 * Image names as ImageLocality compares them.
 *
 * normalizedImageName is kube's: add ':latest' when the reference has neither a tag nor
 * a digest (a ':' after the last '/'). A digest reference ('…@sha256:…') is kept as is.
 *
 * kube stops there (its own TODO admits 'nginx' in a pod never matches the
 * 'docker.io/library/nginx:latest' that containerd reports). k8ts nodes report names the
 * containerd way, so dockerCanonicalImageName adds the implicit registry and 'library/'
 * the way docker's reference parser does; the plugin looks an image up under both names.
 */

export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** 'nginx' → 'docker.io/library/nginx:latest', 'me/app:1' → 'docker.io/me/app:1', 'index.docker.io/x' → 'docker.io/x:latest' */
export function dockerCanonicalImageName(name: string): string {
  if (!name) return name;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  // the first component is a registry when it looks like a host (a dot, a port or localhost)
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? name.slice(slash + 1) : name;
  if (registry === 'index.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return normalizedImageName(`${registry}/${path}`);
}

/** the names to look an image up under, most specific (kube's) first, without duplicates */
export function imageLookupNames(name: string): string[] {
  const kube = normalizedImageName(name);
  const canonical = dockerCanonicalImageName(name);
  return canonical === kube ? [kube] : [kube, canonical];
}
