/** The storage.k8s.io kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { csidrivers } from './csidrivers.js';
import { csinodes } from './csinodes.js';
import { storageclasses } from './storageclasses.js';
import { volumeattachments } from './volumeattachments.js';

export const storageResources: readonly ResourceDef[] = [csidrivers, csinodes, storageclasses, volumeattachments];

export { csidrivers, csinodes, storageclasses, volumeattachments };
