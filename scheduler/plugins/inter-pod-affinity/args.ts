/**
 * InterPodAffinityArgs (kubescheduler.config.k8s.io/v1) as written in a profile's
 * pluginConfig, defaulted and validated the way kube-scheduler does:
 *   hardPodAffinityWeight: 1 by default, an integer in [0, 100]
 *   ignorePreferredTermsOfExistingPods: false by default
 * A bad value is a configuration error: the factory throws with a clear message.
 */

export interface InterPodAffinityArgs {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}

export const DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;
const MAX_HARD_POD_AFFINITY_WEIGHT = 100;

export function parseArgs(raw: unknown): InterPodAffinityArgs {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new Error('InterPodAffinity args: expected an object (InterPodAffinityArgs)');
  }
  const obj = (raw ?? {}) as Record<string, unknown>;
  const weight = obj.hardPodAffinityWeight ?? DEFAULT_HARD_POD_AFFINITY_WEIGHT;
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > MAX_HARD_POD_AFFINITY_WEIGHT) {
    throw new Error(`InterPodAffinity args: hardPodAffinityWeight: Invalid value: ${JSON.stringify(weight)}: not in valid range [0, 100]`);
  }
  const ignore = obj.ignorePreferredTermsOfExistingPods ?? false;
  if (typeof ignore !== 'boolean') {
    throw new Error(`InterPodAffinity args: ignorePreferredTermsOfExistingPods: Invalid value: ${JSON.stringify(ignore)}: must be a boolean`);
  }
  return { hardPodAffinityWeight: weight, ignorePreferredTermsOfExistingPods: ignore };
}
