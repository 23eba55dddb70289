/**
 * CRI list filters, shared by every runtime so `crictl pods/ps/stats` filter the same way
 * whichever runtime answers. An id filter matches a full id or a prefix of one (containerd
 * resolves truncated ids the same way, as `crictl ps --id abc` relies on); a label
 * selector matches when every key/value it names is on the object; a sandbox-id filter on
 * containers is a prefix too, like the id filter.
 */
import type { ContainerFilter, ContainerState, ContainerStatsFilter, PodSandboxFilter, PodSandboxState } from './api.js';

export const matchesId = (id: string, wanted: string | undefined): boolean => !wanted || id.startsWith(wanted);

export function matchesLabels(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  for (const key in selector) {
    if (labels[key] !== selector[key]) return false;
  }
  return true;
}

/** what a sandbox filter looks at */
export interface FilterableSandbox {
  id: string;
  state: PodSandboxState;
  labels: Record<string, string> | undefined;
}

export function sandboxMatches(sandbox: FilterableSandbox, filter: PodSandboxFilter | undefined): boolean {
  if (!matchesId(sandbox.id, filter?.id)) return false;
  if (filter?.state && sandbox.state !== filter.state.state) return false;
  return matchesLabels(sandbox.labels ?? {}, filter?.labelSelector);
}

/** what a container (or container-stats) filter looks at */
export interface FilterableContainer {
  id: string;
  podSandboxId: string;
  state: ContainerState;
  labels: Record<string, string> | undefined;
}

/** a ContainerStatsFilter is a ContainerFilter without the state, so one function serves both lists */
export function containerMatches(container: FilterableContainer, filter: ContainerFilter | ContainerStatsFilter | undefined): boolean {
  if (!matchesId(container.id, filter?.id)) return false;
  if (!matchesId(container.podSandboxId, filter?.podSandboxId)) return false;
  if (filter && 'state' in filter && filter.state && container.state !== filter.state.state) return false;
  return matchesLabels(container.labels ?? {}, filter?.labelSelector);
}
