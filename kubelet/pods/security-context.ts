/**
 * A pod's securityContext turned into CRI's, the way kuberuntime does it
 * (security_context.go, security_context_others.go, util/namespaces):
 * - effectiveSecurityContext: the pod-level fields a container inherits (runAsUser,
 *   runAsGroup, runAsNonRoot, seccompProfile, seLinux, …) overlaid by the container's own;
 *   the container wins field by field.
 * - containerSecurityContext: capabilities, privileged, readonlyRootfs, runAsUser/Group
 *   (the image's USER when neither sets one), supplementalGroups (fsGroup first, then the
 *   pod's list), noNewPrivs = allowPrivilegeEscalation === false, seccomp, namespaces,
 *   masked/readonly /proc paths (none when procMount is Unmasked).
 * - sandboxSecurityContext and sandboxSysctls for the PodSandboxConfig.
 * - verifyRunAsNonRoot: the kubelet's refusal, with its messages, before the container is
 *   created (the waiting reason is CreateContainerConfigError).
 * Pure functions: the image's user comes in as an argument.
 */
import type { V1Container, V1Pod, V1SeccompProfile, V1SecurityContext } from '@kubernetes/client-node';
import { join } from 'node:path';
import type { LinuxContainerSecurityContext, LinuxSandboxSecurityContext, NamespaceOption, SecurityProfile } from '../cri/api.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../cri/default-proc-paths.js';

/** the lists the kubelet sends for the Default procMount (shared with the runc runtime's fallback) */
export { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS };

export interface SeccompSettings {
  /** the kubelet's seccompDefault: RuntimeDefault instead of Unconfined when nothing is set (kube's default: false) */
  seccompDefault?: boolean;
  /** where Localhost profiles live (kubelet: <root-dir>/seccomp) */
  seccompProfileRoot?: string;
}

/** the image's configured user, from imageStatus */
export interface ImageUser {
  uid?: number;
  username?: string;
}

/** kube's DetermineEffectiveSecurityContext */
export function effectiveSecurityContext(pod: V1Pod, container: V1Container): V1SecurityContext {
  const podSc = pod.spec?.securityContext ?? {};
  const inherited: V1SecurityContext = {};
  if (podSc.seLinuxOptions) inherited.seLinuxOptions = podSc.seLinuxOptions;
  if (podSc.windowsOptions) inherited.windowsOptions = podSc.windowsOptions;
  if (podSc.runAsUser !== undefined) inherited.runAsUser = podSc.runAsUser;
  if (podSc.runAsGroup !== undefined) inherited.runAsGroup = podSc.runAsGroup;
  if (podSc.runAsNonRoot !== undefined) inherited.runAsNonRoot = podSc.runAsNonRoot;
  if (podSc.seccompProfile) inherited.seccompProfile = podSc.seccompProfile;
  if (podSc.appArmorProfile) inherited.appArmorProfile = podSc.appArmorProfile;
  const own = container.securityContext ?? {};
  const merged: V1SecurityContext = { ...inherited };
  for (const [key, value] of Object.entries(own)) if (value !== undefined && value !== null) (merged as Record<string, unknown>)[key] = value;
  return merged;
}

/** kube's NamespacesForPod */
export function namespaceOptionsForPod(pod: V1Pod): NamespaceOption {
  const spec = pod.spec;
  return {
    network: spec?.hostNetwork ? 'NODE' : 'POD',
    pid: spec?.hostPID ? 'NODE' : spec?.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: spec?.hostIPC ? 'NODE' : 'POD',
  };
}

/** fsGroup first, then supplementalGroups (kube's order) */
export function podSupplementalGroups(pod: V1Pod): number[] {
  const sc = pod.spec?.securityContext;
  return [...(sc?.fsGroup !== undefined ? [sc.fsGroup] : []), ...(sc?.supplementalGroups ?? [])];
}

/** kube's getSeccompProfile: the container's profile, else the pod's, else RuntimeDefault or Unconfined per seccompDefault */
export function seccompProfileFor(pod: V1Pod, container: V1Container, settings: SeccompSettings = {}): SecurityProfile {
  const profile: V1SeccompProfile | undefined = container.securityContext?.seccompProfile ?? pod.spec?.securityContext?.seccompProfile;
  if (profile) return convertSeccompProfile(profile, settings);
  return { profileType: settings.seccompDefault ? 'RuntimeDefault' : 'Unconfined', localhostRef: '' };
}

function convertSeccompProfile(profile: V1SeccompProfile, settings: SeccompSettings): SecurityProfile {
  switch (profile.type) {
    case 'RuntimeDefault':
      return { profileType: 'RuntimeDefault', localhostRef: '' };
    case 'Localhost':
      return { profileType: 'Localhost', localhostRef: join(settings.seccompProfileRoot ?? '/var/lib/kubelet/seccomp', profile.localhostProfile ?? '') };
    default:
      return { profileType: 'Unconfined', localhostRef: '' };
  }
}

export function containerSecurityContext(pod: V1Pod, container: V1Container, image: ImageUser, settings: SeccompSettings = {}): LinuxContainerSecurityContext {
  const sc = effectiveSecurityContext(pod, container);
  const result: LinuxContainerSecurityContext = {
    capabilities: { addCapabilities: [...(sc.capabilities?.add ?? [])], dropCapabilities: [...(sc.capabilities?.drop ?? [])] },
    privileged: sc.privileged === true,
    readonlyRootfs: sc.readOnlyRootFilesystem === true,
    namespaceOptions: namespaceOptionsForPod(pod),
    supplementalGroups: podSupplementalGroups(pod),
    // kube: AddNoNewPrivileges; validation forbids privileged with allowPrivilegeEscalation false
    noNewPrivs: sc.allowPrivilegeEscalation === false && sc.privileged !== true,
    seccomp: seccompProfileFor(pod, container, settings),
    maskedPaths: sc.procMount === 'Unmasked' ? [] : [...DEFAULT_MASKED_PATHS],
    readonlyPaths: sc.procMount === 'Unmasked' ? [] : [...DEFAULT_READONLY_PATHS],
  };
  if (sc.runAsUser !== undefined) {
    result.runAsUser = { value: sc.runAsUser };
  } else {
    // the image decides: a numeric USER travels as runAsUser, a name for the runtime to resolve
    if (image.uid !== undefined) result.runAsUser = { value: image.uid };
    if (image.username) result.runAsUsername = image.username;
  }
  if (sc.runAsGroup !== undefined) result.runAsGroup = { value: sc.runAsGroup };
  return result;
}

/** kube's generatePodSandboxLinuxConfig security part; the sandbox itself always asks for RuntimeDefault seccomp */
export function sandboxSecurityContext(pod: V1Pod): LinuxSandboxSecurityContext {
  const sc = pod.spec?.securityContext;
  return {
    namespaceOptions: namespaceOptionsForPod(pod),
    ...(sc?.runAsUser !== undefined ? { runAsUser: { value: sc.runAsUser } } : {}),
    ...(sc?.runAsGroup !== undefined ? { runAsGroup: { value: sc.runAsGroup } } : {}),
    supplementalGroups: podSupplementalGroups(pod),
    privileged: hasPrivilegedContainer(pod),
    seccomp: { profileType: 'RuntimeDefault', localhostRef: '' },
  };
}

export function sandboxSysctls(pod: V1Pod): Record<string, string> {
  return Object.fromEntries((pod.spec?.securityContext?.sysctls ?? []).map((s) => [s.name, s.value]));
}

export function hasPrivilegedContainer(pod: V1Pod): boolean {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  return containers.some((c) => c.securityContext?.privileged === true);
}

/** kube's format.Pod: name_namespace(uid) */
export const formatPod = (pod: V1Pod): string => `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;

/**
 * kube's getImageUser: a numeric USER is a uid, a non-numeric one a username, and no USER
 * at all means root.
 */
export function imageUser(image: { uid?: { value: number }; username?: string } | undefined): ImageUser {
  if (image?.uid) return { uid: image.uid.value };
  if (image?.username) return { username: image.username };
  return { uid: 0 };
}

/** kube's verifyRunAsNonRoot: undefined when allowed, else the error message */
export function verifyRunAsNonRoot(pod: V1Pod, container: V1Container, image: ImageUser): string | undefined {
  const sc = effectiveSecurityContext(pod, container);
  if (sc.runAsNonRoot !== true) return undefined;
  const where = `(pod: ${JSON.stringify(formatPod(pod))}, container: ${container.name})`;
  if (sc.runAsUser !== undefined) return sc.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  if (image.uid === undefined && image.username) {
    return `container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root ${where}`;
  }
  if (image.uid === 0) return `container has runAsNonRoot and image will run as root ${where}`;
  return undefined;
}
