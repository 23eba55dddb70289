/**
 * The simulated container runtime's entry point: a Runtime (kubelet/cri/api.ts) that runs
 * no processes. See ./simulated-runtime.ts for its semantics and ./sim-annotations.ts for
 * the sim.k8ts.io/* annotations that script a pod's containers.
 */
import type { Logger } from 'pino';
import { realClock, type Clock } from '../../../client/clock.js';
import type { Runtime } from '../../cri/api.js';
import { SimulatedRuntime } from './simulated-runtime.js';

export interface SimulatedRuntimeConfig {
  /** the node's pod CIDR, e.g. '10.244.1.0/24'; pod IPs come from here */
  podCIDR: string;
  clock?: Clock;
  logger?: Logger;
  nodeName?: string;
}

/** throws (synchronously) on a podCIDR that is not an IPv4 CIDR */
export function createSimulatedRuntime(opts: SimulatedRuntimeConfig): Runtime {
  const logger = opts.logger && opts.nodeName ? opts.logger.child({ node: opts.nodeName }) : opts.logger;
  return new SimulatedRuntime({ podCIDR: opts.podCIDR, clock: opts.clock ?? realClock, logger, nodeName: opts.nodeName });
}

export { SimulatedRuntime, SIMULATED_RUNTIME_NAME, SIMULATED_RUNTIME_VERSION } from './simulated-runtime.js';
export { SIM_ANNOTATION_PREFIX } from './sim-annotations.js';
export { MISSING_IMAGE_MARKER } from './image-store.js';
