/**
 * client/'s unit tests in one tap process (see scheduler/scheduler-unit.test.ts for why:
 * tap spends about 2 s of CPU starting each test file). Each `*.cases.ts` beside the code
 * is a test file of its own, runnable alone with `node dist-test/client/<path>.cases.js`.
 */
import './api-error.cases.js';
import './discovery/rest-mapper.cases.js';
import './events/create-event-recorder.cases.js';
import './events/event-recorder-cluster.cases.js';
import './informers/indexer.cases.js';
import './informers/informers-api-server.cases.js';
import './informers/reflector-relist-api-server.cases.js';
import './informers/reflector.cases.js';
import './informers/shared-informer.cases.js';
import './kubeconfig/parse-kubeconfig.cases.js';
import './leaderelection/run-leader-election-cluster.cases.js';
import './leaderelection/run-leader-election.cases.js';
import './rest/resource-client.cases.js';
import './rest/watch.cases.js';
import './spdy/frame-parser.cases.js';
import './spdy/frames.cases.js';
import './spdy/header-compression.cases.js';
import './spdy/session.cases.js';
import './workqueue/delaying-queue.cases.js';
import './workqueue/process-loop.cases.js';
import './workqueue/queue.cases.js';
import './workqueue/rate-limiters.cases.js';
import './workqueue/rate-limiting-queue.cases.js';
