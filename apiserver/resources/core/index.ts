/**
 * Pods, Namespaces, Nodes and Events (core/v1), plus events.k8s.io/v1 Events, which share
 * core Events' storage. The other built-in kinds are listed in ../more-core.ts.
 */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { eventsV1 } from '../events.k8s.io/events.js';
import { events } from './events.js';
import { namespaces } from './namespaces.js';
import { nodes } from './nodes.js';
import { pods } from './pods.js';

export const coreResources: readonly ResourceDef[] = [pods, namespaces, nodes, events];

/** events.k8s.io/v1: register after core's events (it stores into core's storage) */
export const eventsResources: readonly ResourceDef[] = [eventsV1];

export { events, eventsV1, namespaces, nodes, pods };
