/**
 * Recording core/v1 Events, as client-go's EventRecorder does: callers say what happened
 * to which object; the recorder aggregates repeats (same object, reason, message, source)
 * into one Event with a growing count and lastTimestamp, and writes in the background —
 * recording never blocks or fails the caller.
 */
import type { KubeObject } from '../types.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  /** e.g. 'kubelet', 'default-scheduler', 'deployment-controller' */
  component: string;
  /** the node, for kubelets */
  host?: string;
}

export interface EventRecorder {
  /**
   * `regarding` needs apiVersion, kind and metadata (name, namespace, uid, resourceVersion).
   * `fieldPath` names a part of it, e.g. 'spec.containers{web}'.
   */
  event(regarding: KubeObject, type: EventType, reason: string, message: string, opts?: { fieldPath?: string }): void;
}
