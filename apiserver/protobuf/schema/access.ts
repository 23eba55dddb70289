/**
 * Wire schema (proto2) of rbac.authorization.k8s.io/v1 (Role, ClusterRole, RoleBinding,
 * ClusterRoleBinding) and of the review kinds kubectl posts: authentication.k8s.io/v1
 * TokenRequest and SelfSubjectReview, authorization.k8s.io/v1 SelfSubjectAccessReview and
 * SelfSubjectRulesReview. Field numbers from k8s.io/api generated.proto; options as in meta.ts.
 */
import { specAndStatusKind } from './object-message.js';

export const RBAC_PROTO = `
syntax = "proto2";
package rbac;

message PolicyRule {
  repeated string verbs = 1;
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
  repeated string nonResourceURLs = 5;
}

message AggregationRule {
  repeated .meta.LabelSelector clusterRoleSelectors = 1;
}

message Role {
  optional .meta.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
}

message ClusterRole {
  optional .meta.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
  optional AggregationRule aggregationRule = 3;
}

message Subject {
  optional string kind = 1 [(keep) = true];
  optional string apiGroup = 2;
  optional string name = 3 [(keep) = true];
  optional string namespace = 4;
}

message RoleRef {
  optional string apiGroup = 1 [(keep) = true];
  optional string kind = 2 [(keep) = true];
  optional string name = 3 [(keep) = true];
}

// RoleBinding and ClusterRoleBinding share this wire shape.
message Binding {
  optional .meta.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}
`;

export const AUTHENTICATION_PROTO = `
syntax = "proto2";
package authentication;

message BoundObjectReference {
  optional string kind = 1;
  optional string apiVersion = 2;
  optional string name = 3;
  optional string uid = 4;
}

message TokenRequestSpec {
  repeated string audiences = 1;
  optional int64 expirationSeconds = 4 [(keep) = true];
  optional BoundObjectReference boundObjectRef = 3;
}

${specAndStatusKind('TokenRequest', 'TokenRequestSpec')}
message SelfSubjectReview {
  optional .meta.ObjectMeta metadata = 1;
  optional .meta.StatusIgnored status = 2;
}
`;

export const AUTHORIZATION_PROTO = `
syntax = "proto2";
package authorization;

// FieldSelectorAttributes and LabelSelectorAttributes share this wire shape.
message SelectorAttributes {
  optional string rawSelector = 1;
  repeated .meta.LabelSelectorRequirement requirements = 2;
}

message ResourceAttributes {
  optional string namespace = 1;
  optional string verb = 2;
  optional string group = 3;
  optional string version = 4;
  optional string resource = 5;
  optional string subresource = 6;
  optional string name = 7;
  optional SelectorAttributes fieldSelector = 8;
  optional SelectorAttributes labelSelector = 9;
}

message NonResourceAttributes {
  optional string path = 1;
  optional string verb = 2;
}

message SelfSubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1;
  optional NonResourceAttributes nonResourceAttributes = 2;
}

${specAndStatusKind('SelfSubjectAccessReview', 'SelfSubjectAccessReviewSpec')}
message SelfSubjectRulesReviewSpec {
  optional string namespace = 1;
}

${specAndStatusKind('SelfSubjectRulesReview', 'SelfSubjectRulesReviewSpec')}`;
