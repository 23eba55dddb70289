/**
 * The scheduling loop (kube's scheduleOne): pop → cycle (synchronous) → assume → bind in
 * the background. Failures go back to the queue with the plugins that rejected the pod,
 * so only a relevant cluster event brings it back early; the user sees FailedScheduling.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../client/clock.js';
import type { EventRecorder } from '../client/events/types.js';
import type { KubeClient } from '../client/types.js';
import type { SchedulerCache } from './cache/scheduler-cache.js';
import { decisionSummary, type Decision } from './decisions/decision.js';
import type { DecisionLog } from './decisions/decision-log.js';
import { decisionTable, topScores } from './decisions/decision-table.js';
import { fitErrorMessage, NO_NODES_AVAILABLE, rejectingPlugins } from './fit-error.js';
import type { CycleState } from './framework/cycle-state.js';
import { newPodInfo } from './framework/node-info.js';
import type { Framework } from './framework/runtime.js';
import { isSuccess, statusMessage, type Status } from './framework/status.js';
import type { QueuedPodInfo } from './framework/types.js';
import type { PriorityQueue } from './queue/priority-queue.js';
import { schedulePod, type SchedulePodResult } from './schedule-pod.js';
import { REASON_SCHEDULER_ERROR, REASON_UNSCHEDULABLE, writeFailureStatus, type FailureStatus } from './scheduling-failure.js';

export interface ScheduleLoopOptions {
  queue: PriorityQueue;
  cache: SchedulerCache;
  frameworks: ReadonlyMap<string, Framework>;
  recorders: ReadonlyMap<string, EventRecorder>;
  decisions: DecisionLog;
  client: KubeClient;
  clock: Clock;
  logger: Logger;
  percentageOfNodesToScore: number;
  maxInFlightBindings: number;
  random?: () => number;
  /** the informer's current copy of a pod (for status writes that must not clobber) */
  podLister: (namespace: string, name: string) => V1Pod | undefined;
}

export class ScheduleLoop {
  private nextStartNodeIndex = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private slotFreed: (() => void) | undefined;

  constructor(private readonly o: ScheduleLoopOptions) {}

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      while (this.inFlight.size >= this.o.maxInFlightBindings) await new Promise<void>((r) => (this.slotFreed = r));
      let qpi: QueuedPodInfo;
      try {
        qpi = await this.o.queue.pop(signal);
      } catch {
        return; // closed or aborted
      }
      try {
        await this.scheduleOne(qpi);
      } catch (err) {
        this.o.logger.error({ err, pod: qpi.podInfo.key }, 'scheduler: scheduling cycle failed');
        this.o.queue.done(qpi.podInfo.key);
      }
    }
  }

  inFlightCount(): number {
    return this.inFlight.size;
  }

  /** wait for the bindings still in flight */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async scheduleOne(qpi: QueuedPodInfo): Promise<void> {
    const { queue, cache } = this.o;
    const pod = qpi.podInfo.pod;
    const key = qpi.podInfo.key;
    const framework = this.o.frameworks.get(pod.spec?.schedulerName || 'default-scheduler');
    if (!framework || pod.metadata?.deletionTimestamp || pod.spec?.nodeName || cache.isAssumed(pod)) {
      queue.done(key);
      return;
    }
    const cycle = queue.schedulingCycle();
    const state = framework.newCycleState();
    const result = schedulePod({
      framework,
      snapshot: cache,
      state,
      pod,
      percentageOfNodesToScore: this.o.percentageOfNodesToScore,
      nextStartNodeIndex: this.nextStartNodeIndex,
      ...(this.o.random ? { random: this.o.random } : {}),
    });
    this.nextStartNodeIndex = result.nextStartNodeIndex;

    if (result.error) return this.fail(framework, qpi, cycle, result, { reason: REASON_SCHEDULER_ERROR, message: statusMessage(result.error) }, result.error);
    if (!result.node) {
      if (result.totalNodes === 0) return this.fail(framework, qpi, cycle, result, { reason: REASON_UNSCHEDULABLE, message: NO_NODES_AVAILABLE });
      // PostFilter (preemption) may make room; it talks to the API, so the cycle yields here
      const post = await framework.runPostFilterPlugins(state, pod, result.statuses);
      const nominated = isSuccess(post.status) ? post.result?.nominatedNodeName : undefined;
      const postMessage = isSuccess(post.status) ? '' : statusMessage(post.status);
      const failure: FailureStatus = { reason: REASON_UNSCHEDULABLE, message: fitErrorMessage(result.totalNodes, result.statuses, postMessage) };
      if (nominated) {
        failure.nominatedNodeName = nominated;
        queue.addNominatedPod(newPodInfo(pod), nominated);
      } else if (post.result?.nominatedNodeName === '' && pod.status?.nominatedNodeName) {
        failure.nominatedNodeName = ''; // the nominated node no longer helps: clear it
        queue.deleteNominatedPodIfExists(pod);
      }
      return this.fail(framework, qpi, cycle, result, failure);
    }

    // assume, reserve, permit: the node's room is taken before the bind is even sent
    const node = result.node;
    const assumed: V1Pod = { ...pod, spec: { ...pod.spec!, nodeName: node } };
    cache.assumePod(assumed, node);
    let s = framework.runReservePlugins(state, assumed, node);
    if (isSuccess(s)) {
      s = framework.runPermitPlugins(state, assumed, node);
      if (!isSuccess(s)) framework.runUnreservePlugins(state, assumed, node);
    }
    if (!isSuccess(s)) {
      cache.forgetPod(assumed);
      const failure: FailureStatus = s.code === 'Error' ? { reason: REASON_SCHEDULER_ERROR, message: statusMessage(s) } : { reason: REASON_UNSCHEDULABLE, message: statusMessage(s) };
      return this.fail(framework, qpi, cycle, result, failure, s.code === 'Error' ? s : undefined, s.plugin);
    }
    queue.deleteNominatedPodIfExists(pod);
    const decision = this.record(framework, qpi, result, 'Scheduled', undefined);
    const binding = this.bind(framework, state, qpi, assumed, node, decision).finally(() => {
      this.inFlight.delete(binding);
      const freed = this.slotFreed;
      this.slotFreed = undefined;
      freed?.();
    });
    this.inFlight.add(binding);
  }

  private async bind(framework: Framework, state: CycleState, qpi: QueuedPodInfo, assumed: V1Pod, node: string, decision: Decision): Promise<void> {
    const { queue, cache } = this.o;
    const pod = qpi.podInfo.pod;
    const status = await framework.runBindPlugins(state, assumed, node);
    if (isSuccess(status)) {
      framework.runPostBindPlugins(state, assumed, node);
      this.o.recorders
        .get(framework.profileName)
        ?.event(pod as never, 'Normal', 'Scheduled', `Successfully assigned ${qpi.podInfo.key} to ${node} (${decisionSummary(decision)})`);
      queue.done(qpi.podInfo.key);
      return;
    }
    cache.forgetPod(assumed);
    framework.runUnreservePlugins(state, assumed, node);
    const message = statusMessage(status);
    this.o.logger.info({ pod: qpi.podInfo.key, node, err: message }, 'scheduler: binding failed');
    // gone, or bound by someone else: nothing left to do for this pod
    if (/not found|already assigned|being deleted/.test(message)) {
      queue.done(qpi.podInfo.key);
      return;
    }
    this.o.decisions.record({ ...decision, outcome: 'Error', message: `binding rejected: ${message}` });
    this.o.recorders.get(framework.profileName)?.event(pod as never, 'Warning', 'FailedScheduling', `Binding rejected: ${message}`);
    queue.addUnschedulableIfNotPresent({ ...qpi, unschedulablePlugins: new Set() }, queue.schedulingCycle());
    queue.done(qpi.podInfo.key);
  }

  private async fail(
    framework: Framework,
    qpi: QueuedPodInfo,
    cycle: number,
    result: SchedulePodResult,
    failure: FailureStatus,
    error?: Status,
    plugin?: string,
  ): Promise<void> {
    const { queue } = this.o;
    const pod = qpi.podInfo.pod;
    const plugins = error ? new Set<string>() : rejectingPlugins(result.statuses);
    if (plugin) plugins.add(plugin);
    this.record(framework, qpi, result, error ? 'Error' : 'Unschedulable', failure.message, failure.nominatedNodeName || undefined);
    if (error) this.o.logger.warn({ pod: qpi.podInfo.key, err: failure.message }, 'scheduler: error scheduling pod; retrying');
    this.o.recorders.get(framework.profileName)?.event(pod as never, 'Warning', 'FailedScheduling', failure.message);
    queue.addUnschedulableIfNotPresent({ ...qpi, unschedulablePlugins: plugins }, cycle);
    queue.done(qpi.podInfo.key);
    const current = this.o.podLister(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '') ?? pod;
    if (current.spec?.nodeName) return;
    try {
      await writeFailureStatus(this.o.client, current, failure, new Date(this.o.clock.now()).toISOString());
    } catch (err) {
      this.o.logger.debug({ err, pod: qpi.podInfo.key }, 'scheduler: could not write PodScheduled=False');
    }
  }

  private record(framework: Framework, qpi: QueuedPodInfo, r: SchedulePodResult, outcome: Decision['outcome'], message: string | undefined, nominatedNode?: string): Decision {
    const d: Decision = {
      pod: qpi.podInfo.key,
      uid: qpi.podInfo.pod.metadata?.uid ?? '',
      profile: framework.profileName,
      time: new Date(this.o.clock.now()).toISOString(),
      attempt: qpi.attempts,
      outcome,
      ...(r.node && outcome === 'Scheduled' ? { node: r.node } : {}),
      ...(message ? { message } : {}),
      ...(nominatedNode ? { nominatedNode } : {}),
      totalNodes: r.totalNodes,
      evaluatedNodes: r.evaluatedNodes,
      feasibleNodes: r.feasibleNodes,
      top: topScores(r.scores),
      table: () => decisionTable(r),
    };
    this.o.decisions.record(d);
    return d;
  }
}

