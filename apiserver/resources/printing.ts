/**
 * Cell helpers shared by kinds' printer columns, matching kube's table printers
 * (pkg/printers/internalversion) so `kubectl get` reads the same as against a real cluster.
 */
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import type { KubeObject, PrinterColumn } from '../catalogue/resource-def.js';
import { timestampAge } from '../table/age.js';

// One implementation of kube's HumanDuration for the whole server: the Table code's.
export { humanDuration } from '../table/age.js';

/** kube's translateTimestampSince: the object's age, "<unknown>" without a timestamp */
export function age(obj: KubeObject, now: Date): string {
  return timestampAge(obj.metadata?.creationTimestamp, now);
}

/** labels.FormatLabels: sorted `k=v,k=v`, "<none>" when empty */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** The short forms kubectl prints, in kube's fixed order, without duplicates. */
export function accessModesString(modes: readonly string[] | undefined): string {
  const present = new Set(modes ?? []);
  const order: Array<[string, string]> = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return order
    .filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

export const nameColumn: PrinterColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: "The object's name (metadata.name), unique within its namespace.",
  priority: 0,
  cell: (obj) => obj.metadata.name ?? '',
};

export const ageColumn: PrinterColumn = {
  name: 'Age',
  type: 'string',
  description: 'Time since the object was created (metadata.creationTimestamp).',
  priority: 0,
  cell: (obj, now) => age(obj, now),
};

/** A column reading one value; a small shorthand for the many one-liners. */
export function column(name: string, type: PrinterColumn['type'], description: string, cell: PrinterColumn['cell'], priority = 0): PrinterColumn {
  return { name, type, description, priority, cell };
}

/** kube's layoutContainerCells: a pod spec's container names and images, comma-joined */
export function containerCells(spec: V1PodSpec | undefined): { names: string; images: string } {
  const list: unknown[] = Array.isArray(spec?.containers) ? spec.containers : [];
  const containers = list.filter((c): c is V1Container => c !== null && typeof c === 'object');
  return { names: containers.map((c) => c.name ?? '').join(','), images: containers.map((c) => c.image ?? '').join(',') };
}
