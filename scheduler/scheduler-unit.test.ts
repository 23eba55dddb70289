/**
 * The scheduler's unit tests in one tap process. Each `*.cases.ts` beside the code is a
 * table-driven test file of its own; they are gathered here because tap starts every
 * test file in a fresh Node process with its loaders, about 2 s of CPU each, which for
 * forty small files cost more than the tests themselves. To run one alone:
 * `node dist-test/scheduler/<path>.cases.js`.
 */
import './cache/scheduler-cache.cases.js';
import './config/adaptive-percentage.cases.js';
import './config/default-plugins.cases.js';
import './config/parse-config.cases.js';
import './decisions/decision-log.cases.js';
import './fit-error.cases.js';
import './framework/resolve-plugins.cases.js';
import './plugins/default-preemption/default-preemption.cases.js';
import './plugins/default-preemption/in-tree-plugins.cases.js';
import './plugins/default-preemption/pdb-violation.cases.js';
import './plugins/default-preemption/pick-node.cases.js';
import './plugins/default-preemption/prepare-candidate.cases.js';
import './plugins/helpers/label-selector.cases.js';
import './plugins/helpers/node-selector.cases.js';
import './plugins/helpers/normalize-score.cases.js';
import './plugins/helpers/tolerations.cases.js';
import './plugins/image-locality/image-locality.cases.js';
import './plugins/inter-pod-affinity/framework.cases.js';
import './plugins/inter-pod-affinity/inter-pod-affinity.cases.js';
import './plugins/inter-pod-affinity/queueing-hints.cases.js';
import './plugins/inter-pod-affinity/scoring.cases.js';
import './plugins/node-affinity/node-affinity.cases.js';
import './plugins/node-name/node-name.cases.js';
import './plugins/node-ports/node-ports.cases.js';
import './plugins/node-resources-balanced-allocation/node-resources-balanced-allocation.cases.js';
import './plugins/node-resources-fit/args.cases.js';
import './plugins/node-resources-fit/node-resources-fit.cases.js';
import './plugins/node-resources-fit/scoring.cases.js';
import './plugins/node-unschedulable/node-unschedulable.cases.js';
import './plugins/pod-topology-spread/filtering.cases.js';
import './plugins/pod-topology-spread/pod-topology-spread.cases.js';
import './plugins/pod-topology-spread/scoring.cases.js';
import './plugins/taint-toleration/taint-toleration.cases.js';
import './plugins/volume-restrictions/volume-restrictions.cases.js';
import './queue/backoff.cases.js';
import './queue/heap.cases.js';
import './queue/nominator.cases.js';
import './queue/pod-updated.cases.js';
import './queue/priority-queue.cases.js';
import './queue/queueing-hints.cases.js';
import './schedule-pod.cases.js';
import './scheduling-failure.cases.js';
