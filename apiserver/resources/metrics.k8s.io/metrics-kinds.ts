/**
 * The two kinds of metrics.k8s.io/v1beta1, as metrics-server registers them: NodeMetrics
 * (`nodes`, cluster-scoped) and PodMetrics (`pods`, namespaced), get and list only, no
 * singular name (metrics-server gives none), never stored. The catalogue carries them so
 * discovery, `kubectl api-resources` and OpenAPI list them; their requests are answered
 * by metrics-routes.ts, which computes each object from the kubelets on request.
 *
 * Table columns are metrics-server's: Name, one per resource (cpu, memory: a pod's sum
 * over its containers) and Window.
 */
import { addQuantities, formatQuantity, parseExactQuantity, zeroQuantity } from '../../../client/quantity.js';
import type { KubeObject, PrinterColumn, ResourceDef } from '../../catalogue/resource-def.js';

type Usage = Record<string, string>;

const nameColumn: PrinterColumn = { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0, cell: (o) => o.metadata.name ?? '' };
const windowColumn: PrinterColumn = { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0, cell: (o) => String(o['window'] ?? '') };

function sumUsage(usages: readonly Usage[], resource: string): string {
  let total = zeroQuantity();
  for (const u of usages) {
    const q = parseExactQuantity(u[resource]);
    if (q) total = addQuantities(total, q);
  }
  return formatQuantity(total);
}

const usageColumns = (usagesOf: (o: KubeObject) => Usage[]): PrinterColumn[] =>
  ['cpu', 'memory'].map((resource): PrinterColumn => ({ name: resource, type: 'string', format: 'quantity', description: '', priority: 0, cell: (o: KubeObject) => sumUsage(usagesOf(o), resource) }));

const metricsKind = (o: Pick<ResourceDef, 'kind' | 'plural' | 'namespaced' | 'printerColumns'>): ResourceDef => ({
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  singular: '',
  shortNames: [],
  categories: [],
  verbs: ['get', 'list'],
  // no @kubernetes/client-node model: OpenAPI describes them as unstructured kinds
  modelName: `V1beta1${o.kind}`,
  subresources: [],
  strategy: {},
  ...o,
});

export const nodeMetricsKind = metricsKind({
  kind: 'NodeMetrics',
  plural: 'nodes',
  namespaced: false,
  printerColumns: [nameColumn, ...usageColumns((o) => [(o['usage'] as Usage | undefined) ?? {}]), windowColumn],
});

export const podMetricsKind = metricsKind({
  kind: 'PodMetrics',
  plural: 'pods',
  namespaced: true,
  printerColumns: [nameColumn, ...usageColumns((o) => ((o['containers'] as Array<{ usage?: Usage }> | undefined) ?? []).map((c) => c.usage ?? {})), windowColumn],
});
