/** The EndpointSlice controller and its pure parts (endpoints from pods, slice metadata, the plan). */
export { EndpointSliceController, type EndpointSliceControllerOptions, type EndpointSliceSettings } from './endpointslice-controller.js';
export { EndpointSliceTracker } from './endpointslice-tracker.js';
export { planSlices, DEFAULT_MAX_ENDPOINTS_PER_SLICE, type PlanInput, type SlicePlan } from './reconcile-plan.js';
export { podToEndpoint, endpointPorts, portMapKey, endpointHash, endpointsEqualBeyondHash, addressTypesForService, ZONE_LABEL, type AddressType } from './slice-endpoints.js';
export { newEndpointSlice, sliceLabels, ownedBy, CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, HEADLESS_LABEL } from './slice-metadata.js';
