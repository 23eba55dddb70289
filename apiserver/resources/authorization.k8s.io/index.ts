/** The authorization.k8s.io kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { localsubjectaccessreviews } from './localsubjectaccessreviews.js';
import { selfsubjectaccessreviews } from './selfsubjectaccessreviews.js';
import { selfsubjectrulesreviews } from './selfsubjectrulesreviews.js';
import { subjectaccessreviews } from './subjectaccessreviews.js';

export const authorizationResources: readonly ResourceDef[] = [localsubjectaccessreviews, selfsubjectaccessreviews, selfsubjectrulesreviews, subjectaccessreviews];
