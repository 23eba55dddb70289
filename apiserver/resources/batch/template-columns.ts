/**
 * The -o wide columns kube prints for a kind that stamps out pods from a template
 * (Jobs, CronJobs): CONTAINERS, IMAGES, SELECTOR, as layoutContainerCells and
 * metav1.FormatLabelSelector write them.
 */
import type { V1PodSpec } from '@kubernetes/client-node';
import type { KubeObject, PrinterColumn } from '../../catalogue/resource-def.js';
import { formatLabelSelector, type LabelSelector } from '../../selectors/label-selector.js';
import { column, containerCells } from '../printing.js';

/** metav1.FormatLabelSelector: "<none>" when it selects by nothing, "<error>" when unreadable */
export function selectorCell(selector: LabelSelector | undefined): string {
  try {
    return formatLabelSelector(selector) || '<none>';
  } catch {
    return '<error>';
  }
}

export function templateColumns(podSpec: (o: KubeObject) => V1PodSpec | undefined, selector: (o: KubeObject) => unknown): PrinterColumn[] {
  return [
    column('Containers', 'string', 'Names of each container in the template.', (o) => containerCells(podSpec(o)).names, 1),
    column('Images', 'string', 'Images referenced by each container in the template.', (o) => containerCells(podSpec(o)).images, 1),
    column('Selector', 'string', 'A label query over pods that should match the pod count.', (o) => selectorCell(selector(o) as LabelSelector | undefined), 1),
  ];
}
