/**
 * coordination.k8s.io/v1 Lease: node heartbeats and leader election. Validation follows
 * kube's ValidateLeaseSpec: non-negative durations and transition counts, RFC 3339 times,
 * and a preferredHolder only together with a strategy.
 */
import type { V1Lease } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { ageColumn, column, nameColumn } from '../printing.js';

/** the JSON shape: MicroTime fields are strings on the wire */
interface LeaseSpec {
  holderIdentity?: unknown;
  leaseDurationSeconds?: unknown;
  acquireTime?: unknown;
  renewTime?: unknown;
  leaseTransitions?: unknown;
  strategy?: unknown;
  preferredHolder?: unknown;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const STRATEGIES = ['OldestEmulationVersion'] as const;

function validate(obj: KubeObject): FieldError[] {
  const spec = (obj as { spec?: LeaseSpec }).spec;
  if (spec === undefined) return [];
  if (!spec || typeof spec !== 'object') return [fieldErrors.typeInvalid('spec', spec, 'must be an object')];
  const errs: FieldError[] = [];
  const optionalString = (key: keyof LeaseSpec) => {
    const v = spec[key];
    if (v !== undefined && v !== null && typeof v !== 'string') errs.push(fieldErrors.typeInvalid(`spec.${key}`, v, 'must be a string'));
  };
  const optionalInteger = (key: keyof LeaseSpec, min: number, detail: string) => {
    const v = spec[key];
    if (v === undefined || v === null) return;
    if (typeof v !== 'number' || !Number.isInteger(v)) errs.push(fieldErrors.typeInvalid(`spec.${key}`, v, 'must be an integer'));
    else if (v < min) errs.push(fieldErrors.invalid(`spec.${key}`, v, detail));
  };
  const optionalTime = (key: keyof LeaseSpec) => {
    const v = spec[key];
    if (v === undefined || v === null) return;
    if (typeof v !== 'string' || !RFC3339.test(v) || Number.isNaN(Date.parse(v)))
      errs.push(fieldErrors.typeInvalid(`spec.${key}`, v, 'must be an RFC 3339 date-time'));
  };
  optionalString('holderIdentity');
  optionalInteger('leaseDurationSeconds', 1, 'must be greater than 0');
  optionalInteger('leaseTransitions', 0, 'must be greater than or equal to 0');
  optionalTime('acquireTime');
  optionalTime('renewTime');
  optionalString('strategy');
  optionalString('preferredHolder');
  if (typeof spec.strategy === 'string' && spec.strategy && !(STRATEGIES as readonly string[]).includes(spec.strategy))
    errs.push(fieldErrors.notSupported('spec.strategy', spec.strategy, STRATEGIES));
  if (spec.preferredHolder && !spec.strategy) errs.push(fieldErrors.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  return errs;
}

export const leaseStrategy: Strategy = { validate };

export const leases: ResourceDef = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  shortNames: [],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1Lease',
  subresources: [],
  printerColumns: [nameColumn, column('Holder', 'string', 'The holder of the lease.', (o) => (o as V1Lease).spec?.holderIdentity ?? ''), ageColumn],
  strategy: leaseStrategy,
};
