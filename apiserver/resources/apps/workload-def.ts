/**
 * The ResourceDef shape the apps workloads share: namespaced apps/v1 kinds in the `all`
 * category with a status subresource and, for the replicated ones, autoscaling/v1 Scale
 * reading spec.selector (what kube's ScaleREST reports as the Scale's selector).
 */
import { ALL_VERBS, type NameRule, type PrinterColumn, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';

export interface WorkloadOptions {
  kind: string;
  plural: string;
  shortName: string;
  printerColumns: PrinterColumn[];
  strategy: Strategy;
  /** serve /scale (every workload but DaemonSet) */
  scalable: boolean;
  nameRule?: NameRule;
}

export function workloadDef(o: WorkloadOptions): ResourceDef {
  const status = { name: 'status', verbs: ['get', 'patch', 'update'] } satisfies ResourceDef['subresources'][number];
  const scale = { name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] } satisfies ResourceDef['subresources'][number];
  return {
    group: 'apps',
    version: 'v1',
    kind: o.kind,
    plural: o.plural,
    singular: o.kind.toLowerCase(),
    shortNames: [o.shortName],
    namespaced: true,
    categories: ['all'],
    verbs: [...ALL_VERBS],
    modelName: `V1${o.kind}`,
    ...(o.nameRule ? { nameRule: o.nameRule } : {}),
    subresources: o.scalable ? [scale, status] : [status],
    ...(o.scalable ? { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } } : {}),
    printerColumns: o.printerColumns,
    strategy: o.strategy,
  };
}
