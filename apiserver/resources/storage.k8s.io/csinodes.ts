/**
 * storage.k8s.io/v1 CSINode: the CSI drivers installed on a node (named after the Node),
 * written by the kubelet (kube's ValidateCSINode): each driver's name, its node ID, its
 * topology keys and optional attachable-volume count. A driver entry, once there, may not
 * change.
 */
import type { V1CSINode, V1CSINodeDriver } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { qualifiedName } from '../../validation/names.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { validateCSIDriverName } from './csi-driver-name.js';

const NODE_ID_MAX_LENGTH = 192;

const driversOf = (obj: KubeObject): V1CSINodeDriver[] => {
  const drivers = (obj as unknown as V1CSINode).spec?.drivers;
  return Array.isArray(drivers) ? drivers.filter((d) => d && typeof d === 'object') : [];
};

function validateDriver(driver: V1CSINodeDriver, at: string): FieldError[] {
  const errs = validateCSIDriverName(driver.name ?? '', `${at}.name`);
  const nodeID = driver.nodeID ?? '';
  if (!nodeID) errs.push(fieldErrors.required(`${at}.nodeID`));
  if (nodeID.length > NODE_ID_MAX_LENGTH) errs.push(fieldErrors.invalid(`${at}.nodeID`, nodeID, `must be ${NODE_ID_MAX_LENGTH} characters or less`));
  const count = driver.allocatable?.count;
  if (typeof count === 'number' && count < 0) errs.push(fieldErrors.invalid(`${at}.allocatable.count`, count, 'must be greater than or equal to 0'));
  const keys = new Set<string>();
  for (const key of driver.topologyKeys ?? []) {
    if (!key) errs.push(fieldErrors.required(at));
    if (keys.has(key)) errs.push(fieldErrors.duplicate(at, key));
    keys.add(key);
    for (const msg of qualifiedName(key)) errs.push(fieldErrors.invalid(at, key, msg));
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  driversOf(obj).forEach((driver, i) => {
    const at = `spec.drivers[${i}]`;
    errs.push(...validateDriver(driver, at));
    if (names.has(driver.name)) errs.push(fieldErrors.duplicate(`${at}.name`, driver.name));
    names.add(driver.name);
  });
  return errs;
}

/** a driver already registered keeps its entry, except the volume count the kubelet refreshes */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const withoutCount = ({ allocatable: _count, ...rest }: V1CSINodeDriver) => rest;
  for (const before of driversOf(old))
    for (const driver of driversOf(obj))
      if (driver.name === before.name && !isDeepStrictEqual(withoutCount(driver), withoutCount(before))) errs.push(fieldErrors.immutable('spec.drivers', driver));
  return errs;
}

export const csiNodeStrategy: Strategy = { validate, validateUpdate };

export const csinodes: ResourceDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSINode',
  plural: 'csinodes',
  singular: 'csinode',
  shortNames: [],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1CSINode',
  subresources: [],
  printerColumns: [nameColumn, column('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node', (o) => driversOf(o).length), ageColumn],
  strategy: csiNodeStrategy,
};
