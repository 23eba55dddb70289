/**
 * The scheduling queue's knobs and kube-scheduler's defaults for them
 * (podInitialBackoffSeconds 1, podMaxBackoffSeconds 10, podMaxInUnschedulablePodsDuration
 * 5 min; backoffQ flushed every second, unschedulablePods scanned every 30 s).
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import type { Status } from '../framework/status.js';
import type { QueuedPodInfo } from '../framework/types.js';
import type { QueueingHintMap } from './queueing-hints.js';

export interface PriorityQueueOptions {
  /** QueueSort: true when a goes before b; default PrioritySort (priority, then timestamp) */
  less?: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  clock?: Clock;
  /** plugin name → events it registered, with hints (Framework.eventsToRegister()) */
  hints?: QueueingHintMap;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** a pod unschedulable this long is retried even without an event */
  maxInUnschedulableMs?: number;
  backoffFlushIntervalMs?: number;
  unschedulableFlushIntervalMs?: number;
  /**
   * Checked before a pod enters activeQ (kube's PreEnqueue plugins, e.g. SchedulingGates).
   * A non-Success status parks the pod as gated until it is updated; status.plugin names
   * the gate.
   */
  preEnqueue?: (pod: V1Pod) => Status;
  logger?: Logger;
}

export const DEFAULT_INITIAL_BACKOFF_MS = 1_000;
export const DEFAULT_MAX_BACKOFF_MS = 10_000;
export const DEFAULT_MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;
export const DEFAULT_BACKOFF_FLUSH_INTERVAL_MS = 1_000;
export const DEFAULT_UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;
