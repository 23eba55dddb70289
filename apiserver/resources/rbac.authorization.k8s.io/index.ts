/** The rbac.authorization.k8s.io kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { clusterrolebindings } from './clusterrolebindings.js';
import { clusterroles } from './clusterroles.js';
import { rolebindings } from './rolebindings.js';
import { roles } from './roles.js';

export const rbacResources: readonly ResourceDef[] = [clusterrolebindings, clusterroles, rolebindings, roles];

export { clusterrolebindings, clusterroles, rolebindings, roles };
