/** The endpoints controller and its pure parts (desired subsets, the write for one Service). */
export { EndpointsController, type EndpointsControllerOptions, type EndpointSettings } from './endpoints-controller.js';
export { desiredSubsets, repackSubsets, truncateSubsets, unpackedSubsets, podToEndpointAddress, MAX_ENDPOINTS_CAPACITY, OVER_CAPACITY_ANNOTATION } from './desired-subsets.js';
export { endpointsWrite, HEADLESS_LABEL, MANAGED_BY_LABEL, CONTROLLER_NAME, type EndpointsWrite, type EndpointsInput } from './endpoints-for-service.js';
