/**
 * Wire schema (proto2) of scheduling.k8s.io/v1 PriorityClass, policy/v1
 * PodDisruptionBudget and networking.k8s.io/v1 Ingress.
 * Field numbers from k8s.io/api generated.proto; options as in meta.ts.
 */
import { specAndStatusKind } from './object-message.js';

export const SCHEDULING_PROTO = `
syntax = "proto2";
package scheduling;

message PriorityClass {
  optional .meta.ObjectMeta metadata = 1;
  optional int32 value = 2 [(keep) = true];
  optional bool globalDefault = 3;
  optional string description = 4;
  optional string preemptionPolicy = 5 [(keep) = true];
}
`;

export const POLICY_PROTO = `
syntax = "proto2";
package policy;

message PodDisruptionBudgetSpec {
  optional .meta.IntOrString minAvailable = 1;
  optional .meta.LabelSelector selector = 2;
  optional .meta.IntOrString maxUnavailable = 3;
  optional string unhealthyPodEvictionPolicy = 4 [(keep) = true];
}

${specAndStatusKind('PodDisruptionBudget', 'PodDisruptionBudgetSpec')}`;

export const NETWORKING_PROTO = `
syntax = "proto2";
package networking;

message ServiceBackendPort {
  optional string name = 1;
  optional int32 number = 2;
}

message IngressServiceBackend {
  optional string name = 1 [(keep) = true];
  optional ServiceBackendPort port = 2;
}

message TypedLocalObjectReference {
  optional string apiGroup = 1 [(keep) = true];
  optional string kind = 2 [(keep) = true];
  optional string name = 3 [(keep) = true];
}

message IngressBackend {
  optional IngressServiceBackend service = 4;
  optional TypedLocalObjectReference resource = 3;
}

message HTTPIngressPath {
  optional string path = 1;
  optional string pathType = 3 [(keep) = true];
  optional IngressBackend backend = 2;
}

message HTTPIngressRuleValue {
  repeated HTTPIngressPath paths = 1;
}

message IngressRuleValue {
  optional HTTPIngressRuleValue http = 1;
}

message IngressRule {
  optional string host = 1;
  optional IngressRuleValue ingressRuleValue = 2 [(inline) = true];
}

message IngressTLS {
  repeated string hosts = 1;
  optional string secretName = 2;
}

message IngressSpec {
  optional string ingressClassName = 4 [(keep) = true];
  optional IngressBackend defaultBackend = 1;
  repeated IngressTLS tls = 2;
  repeated IngressRule rules = 3;
}

${specAndStatusKind('Ingress', 'IngressSpec')}`;
