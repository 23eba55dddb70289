/**
 * The disruption controller (kube's pkg/controller/disruption): keeps every
 * PodDisruptionBudget's status true to its pods, so the eviction subresource can answer
 * "may this pod go?" from the status alone. Until this controller has written a budget's
 * status for its current generation, every eviction of a pod the budget covers gets 429.
 *
 * Level-based, client-go style: informer handlers only enqueue budget keys
 * ("namespace/name"); reconcile(key) reads the budget and its pods from the caches and
 * writes the status through the status subresource — only when it differs, so our own
 * write coming back as a watch event ends in a no-op sync, not a loop.
 *
 *   budget added/changed/deleted              → its key
 *   pod added/changed/deleted                 → the keys of the budgets that select it
 *                                               (before and after a label change)
 *   ReplicaSet/Deployment/StatefulSet changes → budgets in the namespace that need a scale
 *
 * Outcomes of reconcile: a 409 Conflict (the API server recorded an eviction meanwhile)
 * is thrown → rate-limited retry on fresh data; any other failure becomes kube's fail-safe
 * status (disruptionsAllowed 0, DisruptionAllowed False/SyncFailed with the error); a
 * recorded eviction that is still pending asks for a timed requeue when it expires.
 */
import type { V1LabelSelector, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { isConflict } from '../../client/api-error.js';
import { realClock, type Clock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, type Lister, type SharedInformer, type SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeClient, KubeObject, ResourceClient } from '../../client/types.js';
import { RateLimitingQueue, runWorkers, type ReconcileResult } from '../../client/workqueue/index.js';
import { labelSelectorMatcher, selectorMatchesOrFalse } from '../label-selector.js';
import {
  computeBudget,
  DEFAULT_DELETION_TIMEOUT_MS,
  desiredStatus,
  failSafeStatus,
  failSafeUpToDate,
  statusUpToDate,
  type BudgetStatus,
} from './budget-status.js';
import { listerFinders, scaleSubresourceFinder } from './controller-finders.js';
import { expectedPodCount, type ControllerFinder } from './expected-pods.js';
import { formatLabelSelector } from './format-selector.js';

export interface DisruptionSettings {
  /** budgets synced at once (kube runs one worker) */
  workers?: number;
  /** how long an eviction recorded in status.disruptedPods holds its pod back (kube: 2 minutes) */
  deletionTimeoutMs?: number;
}

export interface DisruptionControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock?: Clock;
  logger?: Logger;
  /** events about budgets and pods (NoPods, UnmanagedPods, …); none when absent */
  recorder?: EventRecorder;
  settings?: DisruptionSettings;
}

type Budget = V1PodDisruptionBudget;

// informer objects are plain JSON typed as client/'s KubeObject; read them as API types
const asBudget = (obj: KubeObject): Budget => obj as unknown as Budget;
const asPod = (obj: KubeObject): V1Pod => obj as unknown as V1Pod;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** a budget whose expected count comes from its pods' controllers (percent, or maxUnavailable) */
const needsScale = (pdb: Budget): boolean =>
  (pdb.spec?.maxUnavailable !== undefined && pdb.spec?.maxUnavailable !== null) || typeof pdb.spec?.minAvailable === 'string';

export class DisruptionController {
  readonly queue: RateLimitingQueue<string>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly recorder: EventRecorder | undefined;
  private readonly deletionTimeoutMs: number;
  private readonly workers: number;
  private readonly budgets: SharedInformer<KubeObject>;
  private readonly pods: SharedInformer<KubeObject>;
  private readonly workloads: SharedInformer<KubeObject>[];
  private readonly budgetLister: Lister<KubeObject>;
  private readonly podLister: Lister<KubeObject>;
  private readonly finders: ControllerFinder[];
  private readonly budgetClient: ResourceClient<KubeObject>;

  constructor(opts: DisruptionControllerOptions) {
    const settings = opts.settings ?? {};
    this.clock = opts.clock ?? realClock;
    this.logger = opts.logger ?? pino({ level: 'silent' });
    this.recorder = opts.recorder;
    this.deletionTimeoutMs = settings.deletionTimeoutMs ?? DEFAULT_DELETION_TIMEOUT_MS;
    if (!(this.deletionTimeoutMs >= 0)) throw new Error(`disruption: deletionTimeoutMs must be >= 0, got ${settings.deletionTimeoutMs}`);
    this.workers = settings.workers ?? 1;
    this.queue = new RateLimitingQueue<string>({ clock: this.clock });
    this.budgetClient = opts.client.resource('policy/v1', 'PodDisruptionBudget');

    this.budgets = opts.informers.informerFor('policy/v1', 'PodDisruptionBudget');
    this.pods = opts.informers.informerFor('v1', 'Pod');
    const replicaSets = opts.informers.informerFor('apps/v1', 'ReplicaSet');
    const deployments = opts.informers.informerFor('apps/v1', 'Deployment');
    const statefulSets = opts.informers.informerFor('apps/v1', 'StatefulSet');
    this.workloads = [replicaSets, deployments, statefulSets];
    this.budgetLister = this.budgets.lister();
    this.podLister = this.pods.lister();
    // k8ts serves no ReplicationControllers; their pods (and any other owner kind) go through the scale subresource
    this.finders = [
      ...listerFinders({ replicaSets: replicaSets.lister(), deployments: deployments.lister(), statefulSets: statefulSets.lister() }),
      scaleSubresourceFinder(opts.client),
    ];

    this.budgets.addEventHandler({
      onAdd: (pdb) => this.enqueue(pdb),
      onUpdate: (_old, pdb) => this.enqueue(pdb),
      onDelete: (pdb) => this.enqueue(pdb),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.enqueueBudgetsFor(pod),
      onUpdate: (old, pod) => {
        // a periodic resync: nothing about the pod changed
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        this.enqueueBudgetsFor(pod);
        if (!sameLabels(old.metadata?.labels, pod.metadata?.labels)) this.enqueueBudgetsFor(old);
      },
      onDelete: (pod) => this.enqueueBudgetsFor(pod),
    });
    const onWorkload = (obj: KubeObject) => this.enqueueScaledBudgets(obj.metadata?.namespace);
    for (const informer of this.workloads) {
      informer.addEventHandler({
        onAdd: onWorkload,
        onUpdate: (old, obj) => {
          if (replicas(old) !== replicas(obj)) onWorkload(obj);
        },
        onDelete: onWorkload,
      });
    }
  }

  /** wait for the caches, then sync budgets until the signal aborts */
  async run(signal: AbortSignal): Promise<void> {
    const synced = await Promise.all([this.budgets, this.pods, ...this.workloads].map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) return;
    this.logger.info('caches synced; syncing disruption budgets');
    await runWorkers(this.queue, (key) => this.reconcile(key), { workers: this.workers, logger: this.logger, signal });
  }

  /** sync one budget by key (kube's sync) */
  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.budgetLister.getByKey(key);
    if (!cached) return; // deleted: nothing to keep up to date
    const pdb = asBudget(cached);
    try {
      return await this.trySync(pdb);
    } catch (err) {
      // someone (an eviction) changed the budget since our cache saw it: retry on fresh data
      if (isConflict(err)) throw err;
      this.logger.error({ err, pdb: key }, 'failed to sync PodDisruptionBudget; allowing no disruptions');
      const message = messageOf(err);
      if (!failSafeUpToDate(pdb, message)) await this.write(pdb, failSafeStatus(pdb, message, this.clock.now()));
      return;
    }
  }

  private async trySync(pdb: Budget): Promise<ReconcileResult> {
    let pods: V1Pod[];
    try {
      pods = this.podsFor(pdb);
    } catch (err) {
      this.event(pdb, 'Warning', 'NoPods', `Failed to get pods: ${messageOf(err)}`);
      throw err;
    }
    if (pods.length === 0) this.event(pdb, 'Normal', 'NoPods', 'No matching pods found');

    let expected;
    try {
      expected = await expectedPodCount(pdb, pods, this.finders);
    } catch (err) {
      this.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${messageOf(err)}`);
      throw err;
    }
    if (expected.unmanagedPods.length > 0) {
      this.logger.debug({ pdb: objectKey(pdb as KubeObject), pods: expected.unmanagedPods }, 'pods selected by the budget have no controller');
      this.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${formatLabelSelector(pdb.spec?.selector)}) were found to be unmanaged. ` +
          'As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
          'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
      );
    }

    const now = this.clock.now();
    const computed = computeBudget({ pdb, pods, expectedCount: expected.expectedCount, desiredHealthy: expected.desiredHealthy, now, deletionTimeoutMs: this.deletionTimeoutMs });
    for (const name of computed.expiredPods) {
      const pod = pods.find((p) => p.metadata?.name === name);
      if (pod) {
        const where = `${pdb.metadata?.namespace ?? ''}/${pdb.metadata?.name ?? ''}`;
        this.event({ apiVersion: 'v1', kind: 'Pod', ...pod } as V1Pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${where} to be deleted but it wasn't`);
      }
    }
    if (!statusUpToDate(pdb, computed)) await this.write(pdb, desiredStatus(pdb, computed, now));
    // look again just after the earliest pending eviction record expires
    if (computed.recheckAt !== undefined) return { requeueAfter: Math.max(1, computed.recheckAt - now + 1) };
    return;
  }

  /** kube's getPodsForPdb: pods in the budget's namespace its selector picks (null → none, {} → all) */
  private podsFor(pdb: Budget): V1Pod[] {
    const matches = labelSelectorMatcher(pdb.spec?.selector as V1LabelSelector | undefined);
    return this.podLister
      .list({ namespace: pdb.metadata?.namespace ?? '' })
      .map(asPod)
      .filter((pod) => matches(pod.metadata?.labels));
  }

  /** PUT …/status with the cached resourceVersion, so a concurrent eviction's record is never overwritten */
  private async write(pdb: Budget, status: BudgetStatus): Promise<void> {
    const body = { ...structuredClone(pdb as unknown as KubeObject), apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', status };
    await this.budgetClient.updateStatus(body);
    this.logger.debug({ pdb: objectKey(body), status }, 'updated PodDisruptionBudget status');
  }

  private enqueue(pdb: KubeObject): void {
    this.queue.add(objectKey(pdb));
  }

  /** every budget in the pod's namespace that selects it (kube enqueues only the first; all is safer) */
  private enqueueBudgetsFor(pod: KubeObject): void {
    const namespace = pod.metadata?.namespace;
    if (!namespace) return;
    for (const pdb of this.budgetLister.list({ namespace })) {
      if (selectorMatchesOrFalse(asBudget(pdb).spec?.selector as V1LabelSelector | undefined, pod.metadata?.labels)) this.enqueue(pdb);
    }
  }

  private enqueueScaledBudgets(namespace: string | undefined): void {
    if (!namespace) return;
    for (const pdb of this.budgetLister.list({ namespace })) if (needsScale(asBudget(pdb))) this.enqueue(pdb);
  }

  private event(regarding: Budget | V1Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    if (!this.recorder) return;
    const ref = 'kind' in regarding && regarding.kind ? regarding : { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', ...regarding };
    this.recorder.event(ref as unknown as KubeObject, type, reason, message);
  }
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  if (ea.length !== Object.keys(b ?? {}).length) return false;
  return ea.every(([k, v]) => b?.[k] === v);
}

const replicas = (obj: KubeObject): unknown => (obj['spec'] as { replicas?: unknown } | undefined)?.replicas;

