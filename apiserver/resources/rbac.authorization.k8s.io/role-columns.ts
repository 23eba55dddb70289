/** NAME CREATED AT: kube prints Roles and ClusterRoles with their creation time, not an age. */
import type { PrinterColumn } from '../../catalogue/resource-def.js';
import { nameColumn } from '../printing.js';
import { createdAt } from './policy-rules.js';

export const roleColumns: PrinterColumn[] = [
  nameColumn,
  { name: 'Created At', type: 'date', description: 'Time at which the object was created.', priority: 0, cell: (o) => createdAt(o.metadata.creationTimestamp) },
];
