/** The networking.k8s.io kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { ingressclasses } from './ingressclasses.js';
import { ingresses } from './ingresses.js';
import { networkpolicies } from './networkpolicies.js';

export const networkingResources: readonly ResourceDef[] = [ingressclasses, ingresses, networkpolicies];

export { ingressclasses, ingresses, networkpolicies };
