/**
 * One pass of kube's namespaced resources deleter (deleteAllContent): for every
 * namespaced resource the server serves with `delete`, delete everything in the
 * namespace — deletecollection where served, else list and delete each — then list again
 * to see what remains and which finalizers hold it. Failures of one resource do not stop
 * the others; they are collected for the NamespaceDeletionContentFailure condition.
 *
 * Deletions use propagationPolicy Background (as kube does), so the garbage collector
 * does not add the orphan finalizer to objects the namespace controller removes anyway.
 */
import type { Logger } from 'pino';
import { ApiError, isNotFound } from '../../client/api-error.js';
import type { KubeClient, KubeObject, ResourceClient } from '../../client/types.js';
import type { DeletionOutcome } from './deletion-conditions.js';
import { podTerminationEstimate } from './deletion-conditions.js';
import { apiVersionOf, groupResourceOf, type DiscoverResources, type ServerResource } from './server-resources.js';

/** kube's default wait for objects held by finalizers (finalizerEstimateSeconds) */
export const FINALIZER_ESTIMATE_SECONDS = 15;

export interface ContentDeletionResult extends DeletionOutcome {
  /** seconds until the remaining content is expected gone (0: nothing remains) */
  estimateSeconds: number;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const isMethodNotSupported = (err: unknown) => err instanceof ApiError && err.code === 405;

/** one resource per group-resource, the first version discovery lists (the preferred one) */
export function deletableResources(resources: readonly ServerResource[]): ServerResource[] {
  const seen = new Set<string>();
  const out: ServerResource[] = [];
  for (const r of resources) {
    if (!r.namespaced || !r.verbs.includes('delete')) continue;
    const key = groupResourceOf(r);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

export class NamespacedContentDeleter {
  /** deletecollection answered 405/404 for these group-resources: list and delete each instead */
  private readonly noDeleteCollection = new Set<string>();

  constructor(
    private readonly client: KubeClient,
    private readonly discover: DiscoverResources,
    private readonly logger: Logger,
  ) {}

  async deleteAllContent(namespace: string): Promise<ContentDeletionResult> {
    const result: ContentDeletionResult = { contentErrors: [], remaining: new Map(), finalizers: new Map(), estimateSeconds: 0 };
    let resources: ServerResource[] = [];
    try {
      resources = await this.discover();
    } catch (err) {
      // kube carries on with whatever it could discover; we have nothing, so report and retry
      result.discoveryError = messageOf(err);
    }
    for (const resource of deletableResources(resources)) {
      try {
        await this.deleteResource(resource, namespace, result);
      } catch (err) {
        result.contentErrors.push(messageOf(err));
      }
    }
    return result;
  }

  /** kube's deleteAllContentForGroupVersionResource */
  private async deleteResource(r: ServerResource, namespace: string, result: ContentDeletionResult): Promise<void> {
    const groupResource = groupResourceOf(r);
    const api = this.client.resource(apiVersionOf(r), r.kind);
    const canList = r.verbs.includes('list');
    // pods take their grace period to go; estimate it before deleting (deletion rewrites it)
    let estimate = 0;
    if (groupResource === 'pods' && canList) estimate = podTerminationEstimate((await api.list({ namespace })).items as never[]);

    const collected = r.verbs.includes('deletecollection') && !this.noDeleteCollection.has(groupResource) && (await this.deleteCollection(api, groupResource, namespace));
    if (!collected && canList) await this.deleteEach(api, namespace);
    if (!canList) return;

    const left = (await api.list({ namespace })).items;
    if (left.length === 0) return;
    result.remaining.set(groupResource, left.length);
    let held = false;
    for (const obj of left) {
      for (const f of obj.metadata?.finalizers ?? []) {
        result.finalizers.set(f, (result.finalizers.get(f) ?? 0) + 1);
        held = true;
      }
    }
    if (estimate === 0 && held) estimate = FINALIZER_ESTIMATE_SECONDS;
    if (estimate === 0) throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${r.group}/${r.version}, Resource=${r.resource}`);
    result.estimateSeconds = Math.max(result.estimateSeconds, estimate);
  }

  /** true when the collection was deleted; false when the server does not serve it */
  private async deleteCollection(api: ResourceClient<KubeObject>, groupResource: string, namespace: string): Promise<boolean> {
    if (!api.deleteCollection) return false;
    try {
      await api.deleteCollection({ namespace, propagationPolicy: 'Background' });
      return true;
    } catch (err) {
      if (isMethodNotSupported(err) || isNotFound(err)) {
        this.logger.debug({ resource: groupResource }, 'deletecollection not supported; deleting one by one');
        this.noDeleteCollection.add(groupResource);
        return false;
      }
      throw err;
    }
  }

  private async deleteEach(api: ResourceClient<KubeObject>, namespace: string): Promise<void> {
    for (const obj of (await api.list({ namespace })).items) {
      // already being deleted: asking again changes nothing
      if (obj.metadata?.deletionTimestamp) continue;
      try {
        await api.delete(obj.metadata!.name!, { namespace, propagationPolicy: 'Background' });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}
