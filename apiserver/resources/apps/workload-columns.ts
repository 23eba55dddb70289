/**
 * Printer columns the apps workloads share (kube's layoutContainerCells and the selector
 * column of `kubectl get -o wide`).
 */
import type { V1PodSpec } from '@kubernetes/client-node';
import type { KubeObject, PrinterColumn } from '../../catalogue/resource-def.js';
import { formatLabelSelector, type LabelSelector } from '../../selectors/label-selector.js';
import { column, containerCells } from '../printing.js';

interface Workload {
  spec?: { selector?: LabelSelector; template?: { spec?: V1PodSpec } };
}

const cellsOf = (obj: KubeObject) => containerCells((obj as Workload).spec?.template?.spec);

export const containersColumn: PrinterColumn = column(
  'Containers',
  'string',
  'Names of each container in the template.',
  (o) => cellsOf(o).names,
  1,
);

export const imagesColumn: PrinterColumn = column(
  'Images',
  'string',
  'Images referenced by each container in the template.',
  (o) => cellsOf(o).images,
  1,
);

export const selectorColumn: PrinterColumn = column(
  'Selector',
  'string',
  'Label query over pods that should match the replica count.',
  (o) => {
    try {
      return formatLabelSelector((o as Workload).spec?.selector);
    } catch {
      return '';
    }
  },
  1,
);

/** a number from the object, 0 when absent (Go's zero value), for count columns */
export function count(obj: KubeObject, section: 'spec' | 'status', field: string): number {
  const v = (obj[section] as Record<string, unknown> | undefined)?.[field];
  return typeof v === 'number' ? v : 0;
}
