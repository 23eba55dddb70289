/**
 * Wire schema (proto2) of apps/v1 Deployment and batch/v1 Job and CronJob.
 * Field numbers from k8s.io/api apps/v1 and batch/v1 generated.proto; options as in meta.ts.
 */
import { specAndStatusKind } from './object-message.js';

export const WORKLOADS_PROTO = `
syntax = "proto2";
package apps;

message RollingUpdateDeployment {
  optional .meta.IntOrString maxUnavailable = 1;
  optional .meta.IntOrString maxSurge = 2;
}

message DeploymentStrategy {
  optional string type = 1;
  optional RollingUpdateDeployment rollingUpdate = 2;
}

message DeploymentSpec {
  optional int32 replicas = 1 [(keep) = true];
  optional .meta.LabelSelector selector = 2;
  optional .core.PodTemplateSpec template = 3;
  optional DeploymentStrategy strategy = 4;
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6 [(keep) = true];
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9 [(keep) = true];
}

${specAndStatusKind('Deployment', 'DeploymentSpec')}`;

export const BATCH_PROTO = `
syntax = "proto2";
package batch;

message JobSpec {
  optional int32 parallelism = 1 [(keep) = true];
  optional int32 completions = 2 [(keep) = true];
  optional int64 activeDeadlineSeconds = 3 [(keep) = true];
  optional int32 backoffLimit = 7 [(keep) = true];
  optional int32 backoffLimitPerIndex = 12 [(keep) = true];
  optional int32 maxFailedIndexes = 13 [(keep) = true];
  optional .meta.LabelSelector selector = 4;
  optional bool manualSelector = 5 [(keep) = true];
  optional .core.PodTemplateSpec template = 6;
  optional int32 ttlSecondsAfterFinished = 8 [(keep) = true];
  optional string completionMode = 9 [(keep) = true];
  optional bool suspend = 10 [(keep) = true];
  optional string podReplacementPolicy = 14 [(keep) = true];
  optional string managedBy = 15 [(keep) = true];
}

${specAndStatusKind('Job', 'JobSpec')}
message JobTemplateSpec {
  optional .meta.ObjectMeta metadata = 1;
  optional JobSpec spec = 2;
}

message CronJobSpec {
  optional string schedule = 1 [(keep) = true];
  optional string timeZone = 8 [(keep) = true];
  optional int64 startingDeadlineSeconds = 2 [(keep) = true];
  optional string concurrencyPolicy = 3;
  optional bool suspend = 4 [(keep) = true];
  optional JobTemplateSpec jobTemplate = 5;
  optional int32 successfulJobsHistoryLimit = 6 [(keep) = true];
  optional int32 failedJobsHistoryLimit = 7 [(keep) = true];
}

${specAndStatusKind('CronJob', 'CronJobSpec')}`;
