/**
 * spec.podFailurePolicy (kube's pod_failure_policy.go), pure: the first rule matching a
 * Failed pod decides what its failure means —
 *   FailJob  → the whole Job fails now (FailureTarget, reason PodFailurePolicy, with a
 *              message naming the container and exit code, or the pod condition);
 *   Ignore   → the failure does not count against backoffLimit;
 *   Count    → it counts (also when no rule matches);
 *   FailIndex→ counts (the per-index backoff it drives is not implemented here).
 * A rule matches on the exit codes of a terminated container (non-zero only, optionally
 * one container by name; In / NotIn) or on a pod condition's type and status.
 */
import type { V1ContainerStatus, V1Pod, V1PodFailurePolicy, V1PodFailurePolicyOnExitCodesRequirement } from '@kubernetes/client-node';

export interface PolicyVerdict {
  /** set when the rule's action is FailJob */
  failJobMessage?: string;
  /** whether the failure counts against backoffLimit */
  countFailed: boolean;
  /** the matching rule's action, if any */
  action?: string;
}

function matchingContainer(statuses: V1ContainerStatus[], req: V1PodFailurePolicyOnExitCodesRequirement): V1ContainerStatus | undefined {
  return statuses.find((s) => {
    const code = s.state?.terminated?.exitCode;
    if (code === undefined || code === 0) return false;
    if (req.containerName && req.containerName !== s.name) return false;
    const listed = req.values.includes(code);
    return req.operator === 'In' ? listed : req.operator === 'NotIn' ? !listed : false;
  });
}

export function matchPodFailurePolicy(policy: V1PodFailurePolicy | undefined, pod: V1Pod): PolicyVerdict {
  if (!policy) return { countFailed: true };
  const where = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    let message: string | undefined;
    if (rule.onExitCodes) {
      const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      const hit = matchingContainer(statuses, rule.onExitCodes);
      if (!hit) continue;
      message = `Container ${hit.name} for pod ${where} failed with exit code ${hit.state?.terminated?.exitCode} matching ${rule.action} rule at index ${index}`;
    } else if (rule.onPodConditions?.length) {
      const hit = rule.onPodConditions.find((p) => pod.status?.conditions?.some((c) => c.type === p.type && c.status === (p.status ?? 'True')));
      if (!hit) continue;
      message = `Pod ${where} has condition ${hit.type} matching ${rule.action} rule at index ${index}`;
    } else continue;
    switch (rule.action) {
      case 'FailJob':
        return { failJobMessage: message, countFailed: true, action: rule.action };
      case 'Ignore':
        return { countFailed: false, action: rule.action };
      default:
        return { countFailed: true, action: rule.action };
    }
  }
  return { countFailed: true };
}
