/**
 * The built-in kinds beyond pods, namespaces, nodes and events (which core/index.ts
 * lists): Services and their Endpoints, configuration (ConfigMaps, Secrets,
 * ServiceAccounts), policy (LimitRanges, ResourceQuotas), storage (PVCs, PVs) and
 * coordination.k8s.io Leases. Cluster IP / node port allocation helpers for the registry
 * are in core/service-allocation.ts.
 */
import type { ResourceDef } from '../catalogue/resource-def.js';
import { leases } from './coordination.k8s.io/leases.js';
import { configmaps } from './core/configmaps.js';
import { endpoints } from './core/endpoints.js';
import { limitranges } from './core/limitranges.js';
import { persistentvolumeclaims } from './core/persistentvolumeclaims.js';
import { persistentvolumes } from './core/persistentvolumes.js';
import { resourcequotas } from './core/resourcequotas.js';
import { secrets } from './core/secrets.js';
import { serviceaccounts } from './core/serviceaccounts.js';
import { services } from './core/services.js';

export const moreCoreResources: readonly ResourceDef[] = [
  services,
  endpoints,
  configmaps,
  secrets,
  serviceaccounts,
  limitranges,
  resourcequotas,
  persistentvolumeclaims,
  persistentvolumes,
  leases,
];

export { configmaps, endpoints, leases, limitranges, persistentvolumeclaims, persistentvolumes, resourcequotas, secrets, serviceaccounts, services };
