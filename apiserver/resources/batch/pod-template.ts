/**
 * Pod templates inside batch kinds: kube's SetDefaults_PodSpec / ValidatePodTemplateSpec
 * (core/pod-template-spec.ts), and the object test the batch strategies use.
 */

/** a typed field keeps its type once known to be an object; an unknown value becomes a record */
type ObjectOf<T> = unknown extends T ? Record<string, unknown> : Extract<T, object>;
export const isObject = <T>(v: T): v is T & ObjectOf<T> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** template defaults and validation: core's, shared with the apps workloads */
export { defaultPodTemplateSpec as defaultPodTemplate, validatePodTemplateSpec as validatePodTemplate } from '../core/pod-template-spec.js';
