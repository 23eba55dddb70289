/**
 * The pod status the kubelet reports is a pure function of what it knows: the pod, what
 * the runtime says about the sandbox and every container instance, the prober's results,
 * and the waiting reasons the pod worker decided (pulling, backing off, …). Keeping it
 * pure (./compute-pod-status.ts) lets table-driven tests pin kube's rules for phase,
 * conditions and container states without a runtime.
 */
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { ContainerStatus } from '../cri/api.js';

export interface SandboxView {
  ready: boolean;
  /** the pod IP, when the sandbox has networking */
  ip?: string;
  additionalIps: string[];
}

/** why a container is not running, as the worker decided it */
export interface WaitingReason {
  /** ContainerCreating, PodInitializing, ErrImagePull, ImagePullBackOff, CrashLoopBackOff, CreateContainerError, … */
  reason: string;
  message?: string;
}

export interface PodStatusInput {
  pod: V1Pod;
  /** undefined before the sandbox exists */
  sandbox?: SandboxView;
  /** every container instance the runtime still has for this pod, any attempt, any state */
  containers: ContainerStatus[];
  /** by container name (init or regular) */
  waiting: Record<string, WaitingReason>;
  /** prober results by container id */
  isReady(containerId: string): boolean;
  isStarted(containerId: string): boolean;
  /** termination messages read after exit, by container id */
  terminationMessages: Record<string, string>;
  /** 'sim' or 'runc': containerID is `<runtimeName>://<id>` */
  runtimeName: string;
  hostIP: string;
  /** RFC3339: when the kubelet first accepted the pod */
  startTime: string;
  /** the pod is being terminated by the kubelet (deletion or eviction) */
  terminating: boolean;
  now: Date;
}

/** implemented in ./compute-pod-status.ts; returns the whole status (qosClass kept from pod.status) */
export type ComputePodStatus = (input: PodStatusInput) => V1PodStatus;
