/**
 * Image references (`busybox`, `registry:5000/a/b:tag`, `host/a@sha256:…`) parsed and
 * normalised the way the kubelet and containerd do it, with docker's reference grammar
 * (github.com/distribution/reference):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [domain "/"] path          path := component ("/" component)*
 *   component  := [a-z0-9]+ (separator [a-z0-9]+)*      separator := "." | "_" | "__" | "-"+
 *   domain     := host [":" port]            host := dns-name | IPv4 | "[" IPv6 "]"
 *   tag        := [\w][\w.-]{0,127}          digest := algorithm ":" hex
 *
 * Worked example: `busybox` → domain `docker.io`, path `library/busybox`, tag `latest`,
 * canonical `docker.io/library/busybox:latest`, fetched from `registry-1.docker.io` as
 * `/v2/library/busybox/manifests/latest`.
 *
 * Why exactly theirs: a user's image string must mean the same image here as on a real
 * node, and a bad one must fail with the kubelet's words (waiting reason InvalidImageName,
 * event InspectFailed "Failed to apply default image tag …: couldn't parse image name …").
 * Pure functions, no I/O; the pull client and the image manager build on them.
 */

/** Docker Hub's name in references, and the host that actually serves its registry API. */
export const DOCKER_HUB_DOMAIN = 'docker.io';
export const DOCKER_HUB_REGISTRY_HOST = 'registry-1.docker.io';
const LEGACY_DOCKER_HUB_DOMAIN = 'index.docker.io';
const OFFICIAL_REPOSITORY_PREFIX = 'library/';
export const DEFAULT_IMAGE_TAG = 'latest';
/** distribution/reference's RepositoryNameTotalLengthMax. */
const MAX_PATH_LENGTH = 255;

// The grammar above as regular expressions, composed the same way distribution does so
// that ambiguous inputs split the same way (JavaScript and Go both match leftmost-first).
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const ipv6Address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6Address})(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const namePattern = `(?:${domainAndPort}/)?${remoteName}`;

const referenceRegExp = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const nameRegExp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const identifierRegExp = /^[a-f0-9]{64}$/;

/** Digest algorithms the kubelet accepts in a reference, with their hex lengths (go-digest). */
export const DIGEST_HEX_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

export interface ImageReference {
  /** Registry as written in the reference, after Docker Hub normalisation: `docker.io`, `localhost:5000`, `[::1]:5000`. */
  domain: string;
  /** Repository path inside the registry: `library/busybox`, `a/b`. */
  path: string;
  /** `domain/path`. */
  name: string;
  /** The tag as written; undefined when none was given (even if a digest was). */
  tag?: string;
  /** The digest as written (`sha256:<hex>`); undefined when none was given. */
  digest?: string;
  /**
   * containerd's normalised reference (ParseDockerRef): a digest wins over a tag, and a bare
   * name gets `:latest`. This is the name an image is stored and looked up under.
   */
  canonical: string;
  /** What to ask the registry for in `/v2/<path>/manifests/<ref>`: the digest if any, else the tag. */
  registryReference: string;
  /** Host (with port) to send registry requests to: `registry-1.docker.io` for Docker Hub. */
  registryHost: string;
}

/** A reference that does not follow the grammar; the message is distribution/reference's. */
export class InvalidImageReferenceError extends Error {
  override name = 'InvalidImageReferenceError';
}

/**
 * Parses like distribution's ParseNormalizedNamed (what the kubelet and containerd both call)
 * and returns every form the node needs. Throws InvalidImageReferenceError with the library's
 * message ("invalid reference format", "invalid reference format: repository name (…) must be
 * lowercase", …); see applyDefaultImageTag for the kubelet's wrapping of it.
 */
export function parseImageReference(image: string): ImageReference {
  if (identifierRegExp.test(image)) {
    throw new InvalidImageReferenceError(
      `invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`,
    );
  }
  const [domain, remainder] = splitDockerDomain(image);
  // The lowercase check looks at everything before the first ':' (tags may be upper case).
  const colon = remainder.indexOf(':');
  const remote = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remote.toLowerCase() !== remote) {
    throw new InvalidImageReferenceError(`invalid reference format: repository name (${remote}) must be lowercase`);
  }
  return parseQualified(`${domain}/${remainder}`);
}

/** distribution's Parse, on a reference whose domain is already explicit. */
function parseQualified(qualified: string): ImageReference {
  const match = referenceRegExp.exec(qualified);
  if (!match) {
    if (referenceRegExp.test(qualified.toLowerCase())) {
      throw new InvalidImageReferenceError('repository name must be lowercase');
    }
    throw new InvalidImageReferenceError('invalid reference format');
  }
  const [, fullName = '', tag, digest] = match;
  const nameMatch = nameRegExp.exec(fullName);
  const domain = nameMatch?.[1] ?? '';
  const path = nameMatch?.[2] ?? fullName;
  if (path.length > MAX_PATH_LENGTH) {
    throw new InvalidImageReferenceError(`repository name must not be more than ${MAX_PATH_LENGTH} characters`);
  }
  if (digest !== undefined) validateDigest(digest);
  const name = domain ? `${domain}/${path}` : path;
  return {
    domain,
    path,
    name,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    canonical: digest !== undefined ? `${name}@${digest}` : `${name}:${tag ?? DEFAULT_IMAGE_TAG}`,
    registryReference: digest ?? tag ?? DEFAULT_IMAGE_TAG,
    registryHost: registryHostFor(domain),
  };
}

/**
 * go-digest's Validate: a known algorithm with exactly its length of lower-case hex. Messages
 * are go-digest's. Exported for manifest descriptors, which obey the same rule.
 */
export function validateDigest(digest: string): void {
  const colon = digest.indexOf(':');
  if (colon <= 0 || colon + 1 === digest.length) throw new InvalidImageReferenceError('invalid checksum digest format');
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTHS[algorithm];
  if (length === undefined) throw new InvalidImageReferenceError('unsupported digest algorithm');
  if (encoded.length !== length) throw new InvalidImageReferenceError('invalid checksum digest length');
  if (!/^[a-f0-9]+$/.test(encoded)) throw new InvalidImageReferenceError('invalid checksum digest format');
}

/**
 * distribution's splitDockerDomain: the first path element is a registry only if it is
 * `localhost`, contains '.' or ':', or has upper case (repositories never do); otherwise the
 * image is on Docker Hub, where one-element names live under `library/`.
 */
function splitDockerDomain(image: string): [domain: string, remainder: string] {
  const slash = image.indexOf('/');
  if (slash < 0) return [DOCKER_HUB_DOMAIN, OFFICIAL_REPOSITORY_PREFIX + image];
  const first = image.slice(0, slash);
  const rest = image.slice(slash + 1);
  let domain: string;
  let remainder: string;
  if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    domain = first === LEGACY_DOCKER_HUB_DOMAIN ? DOCKER_HUB_DOMAIN : first;
    remainder = rest;
  } else {
    domain = DOCKER_HUB_DOMAIN;
    remainder = image;
  }
  if (domain === DOCKER_HUB_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPOSITORY_PREFIX + remainder;
  return [domain, remainder];
}

/** Docker Hub's references say docker.io but its registry API is served by registry-1.docker.io. */
export function registryHostFor(domain: string): string {
  return domain === DOCKER_HUB_DOMAIN ? DOCKER_HUB_REGISTRY_HOST : domain;
}

/**
 * Registries on the loopback interface may be spoken to over plain HTTP (containerd's
 * MatchLocalhost does the same), so tests need no TLS for a registry on 127.0.0.1.
 */
export function isLoopbackRegistry(domain: string): boolean {
  const host = domain.startsWith('[') ? domain.slice(1, domain.indexOf(']')) : domain.replace(/:[0-9]+$/, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The kubelet's answer for a container's image: the string to hand to the runtime, or why not. */
export type DefaultImageTagResult =
  | { ok: true; image: string }
  | { ok: false; reason: 'InvalidImageName'; eventReason: 'InspectFailed'; message: string };

/**
 * The kubelet's applyDefaultImageTag: appends `:latest` to an image with neither tag nor
 * digest, keeping the short name (the runtime qualifies it, not the kubelet). A bad
 * reference yields the container's waiting reason InvalidImageName and the InspectFailed
 * event message, worded as kube 1.33 does:
 *   Failed to apply default image tag "BUSYBOX": couldn't parse image name "BUSYBOX":
 *   invalid reference format: repository name (library/BUSYBOX) must be lowercase
 */
export function applyDefaultImageTag(image: string): DefaultImageTagResult {
  let reference: ImageReference;
  try {
    reference = parseImageReference(image);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      reason: 'InvalidImageName',
      eventReason: 'InspectFailed',
      message: `Failed to apply default image tag ${goQuote(image)}: couldn't parse image name ${goQuote(image)}: ${detail}`,
    };
  }
  if (reference.digest === undefined && reference.tag === undefined) {
    return { ok: true, image: `${image}:${DEFAULT_IMAGE_TAG}` };
  }
  return { ok: true, image };
}

/** Go's %q for the printable ASCII image strings that reach here (quotes and backslashes escaped). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}
