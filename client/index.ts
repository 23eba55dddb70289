/**
 * client/'s public face: what controllers, the scheduler, kubelets and users import.
 * The contract (types.ts), the REST client and its errors, discovery, kubeconfig, Clock.
 */
export type * from './types.js';
export { createClient, clientFromKubeconfig, type ClientOptions } from './create-client.js';
export { ApiError, isAlreadyExists, isConflict, isForbidden, isGone, isInvalid, isNotFound, isTimeout, type Status } from './api-error.js';
export { NoKindMatchError, isNoKindMatch, RestMapper } from './discovery/rest-mapper.js';
export { parseKubeconfig, KubeconfigError, type KubeconfigConnection, type ParseKubeconfigOptions } from './kubeconfig/parse-kubeconfig.js';
export { realClock, FakeClock, type Clock } from './clock.js';
