/** The authentication.k8s.io kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { selfsubjectreviews, selfsubjectreviewsV1beta1 } from './selfsubjectreviews.js';
import { tokenreviews } from './tokenreviews.js';

export const authenticationResources: readonly ResourceDef[] = [selfsubjectreviews, tokenreviews, selfsubjectreviewsV1beta1];
