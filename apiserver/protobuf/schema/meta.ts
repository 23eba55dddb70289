/**
 * Wire schema (proto2) of apimachinery's types: the runtime.Unknown envelope and the
 * meta/v1, intstr and resource types every kind embeds. Field numbers are those of
 * k8s.io/apimachinery's generated.proto files; the definitions are our own.
 *
 * Field options read by the JSON conversion (see to-json.ts):
 *   (keep)   the Go field is a pointer or its JSON tag lacks omitempty, so a zero value
 *            that is on the wire is still written to JSON;
 *   (inline) the Go field is embedded (`json:",inline"`): its fields join the parent.
 * Go's protobuf marshaller writes every non-pointer scalar, so without (keep) a zero
 * value is dropped, as omitempty would.
 */
export const META_PROTO = `
syntax = "proto2";
package meta;

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}

message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}

message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message Duration {
  optional int64 duration = 1;
}

message OwnerReference {
  optional string apiVersion = 5 [(keep) = true];
  optional string kind = 1 [(keep) = true];
  optional string name = 3 [(keep) = true];
  optional string uid = 4 [(keep) = true];
  optional bool controller = 6 [(keep) = true];
  optional bool blockOwnerDeletion = 7 [(keep) = true];
}

message FieldsV1 {
  optional bytes Raw = 1;
}

message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4;
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7;
  optional string subresource = 8;
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10 [(keep) = true];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}

message LabelSelectorRequirement {
  optional string key = 1 [(keep) = true];
  optional string operator = 2 [(keep) = true];
  repeated string values = 3;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

// intstr.IntOrString: type 0 carries intVal, type 1 strVal.
message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}

// resource.Quantity travels as its canonical string.
message Quantity {
  optional string string = 1;
}

// Status of a kind whose status the server resets on create: only its presence
// matters, so its fields are skipped.
message StatusIgnored {
}
`;
