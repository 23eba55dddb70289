/**
 * The list entries of ListPodSandbox and ListContainers (and the sandbox status), built from what a runtime keeps
 * about a sandbox or container. Shared so every runtime reports the same fields the same
 * way; the maps are copied so a caller that edits an entry cannot reach the runtime's state.
 */
import type { Container, ContainerConfig, ContainerState, PodSandbox, PodSandboxConfig, PodSandboxState, PodSandboxStatus } from './api.js';

export interface SandboxFacts {
  id: string;
  config: PodSandboxConfig;
  state: PodSandboxState;
  createdAtNs: number;
  runtimeHandler: string;
}

export function podSandboxSummary(s: SandboxFacts): PodSandbox {
  return {
    id: s.id,
    metadata: { ...s.config.metadata },
    state: s.state,
    createdAt: s.createdAtNs,
    labels: { ...s.config.labels },
    annotations: { ...s.config.annotations },
    runtimeHandler: s.runtimeHandler,
  };
}

/** PodSandboxStatus: the list entry plus the pod's network when it has an IP (ip undefined: none, e.g. stopped) */
export function podSandboxStatus(s: SandboxFacts, ip: string | undefined): PodSandboxStatus {
  return { ...podSandboxSummary(s), ...(ip !== undefined ? { network: { ip, additionalIps: [] } } : {}) };
}

export interface ContainerFacts {
  id: string;
  podSandboxId: string;
  config: ContainerConfig;
  imageRef: string;
  state: ContainerState;
  createdAtNs: number;
}

export function containerSummary(c: ContainerFacts): Container {
  return {
    id: c.id,
    podSandboxId: c.podSandboxId,
    metadata: { ...c.config.metadata },
    image: { ...c.config.image },
    imageRef: c.imageRef,
    state: c.state,
    createdAt: c.createdAtNs,
    labels: { ...c.config.labels },
    annotations: { ...c.config.annotations },
  };
}
