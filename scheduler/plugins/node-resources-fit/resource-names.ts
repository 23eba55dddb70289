/**
 * Which resource names the scheduler counts and which ones `ignoredResources` may skip
 * (kube's v1helper.IsExtendedResourceName / IsScalarResourceName). The difference matters:
 * ignoredResources only ever skips *extended* resources (example.com/gpu), never hugepages
 * or kubernetes.io/ resources, and a name that is none of these (a bare "foo") is not a
 * resource the scheduler tracks at all.
 *
 * Kept private to this plugin: no other plugin needs these rules yet.
 */

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** a Kubernetes qualified name: optional DNS-subdomain prefix and '/', then a name of at most 63 characters */
export function isQualifiedName(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

/** kubernetes.io/… names are the platform's own, even though they have a prefix */
export const isPrefixedNativeResource = (name: string): boolean => name.includes('kubernetes.io/');

export const isNativeResource = (name: string): boolean => !name.includes('/') || isPrefixedNativeResource(name);

export const isHugePageResourceName = (name: string): boolean => name.startsWith('hugepages-');

export const isAttachableVolumeResourceName = (name: string): boolean => name.startsWith('attachable-volumes-');

/**
 * A vendor resource like example.com/gpu. ResourceQuota tracks it as "requests.<name>",
 * so that spelling has to be a qualified name too.
 */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`);
}

/** the names the scheduler keeps in Resource.scalar and checks in Filter */
export function isScalarResourceName(name: string): boolean {
  return isExtendedResourceName(name) || isHugePageResourceName(name) || isPrefixedNativeResource(name) || isAttachableVolumeResourceName(name);
}
