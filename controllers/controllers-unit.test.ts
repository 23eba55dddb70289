/**
 * The controllers' unit tests in one tap process. Each `*.cases.ts` beside the code is a
 * table-driven test file of its own; they are gathered here because tap starts every
 * test file in a fresh Node process, about 2 s of CPU each. To run one alone:
 * `node dist-test/controllers/<path>.cases.js`. One import line per cases file, sorted.
 */
import './common/common.cases.js';
import './cronjob/cronjob.cases.js';
import './daemonset/daemonset.cases.js';
import './deployment/deployment-controller.cases.js';
import './deployment/deployment-logic.cases.js';
import './endpoints/endpoints.cases.js';
import './endpointslice/endpointslice.cases.js';
import './garbagecollector/garbage-collector.cases.js';
import './history/history.cases.js';
import './job/job.cases.js';
import './label-selector.cases.js';
import './namespace/namespace.cases.js';
import './nodelifecycle/node-lifecycle-controller.cases.js';
import './nodelifecycle/node-lifecycle-logic.cases.js';
import './podgc/podgc.cases.js';
import './replicaset/replicaset-controller.cases.js';
import './replicaset/replicaset-logic.cases.js';
import './resourcequota/resourcequota.cases.js';
import './statefulset/statefulset.cases.js';
