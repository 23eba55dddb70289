/**
 * kubelet/'s unit tests in one tap process (see scheduler/scheduler-unit.test.ts for why:
 * tap spends about 2 s of CPU starting each test file). Each `*.cases.ts` beside the code
 * is a test file of its own, runnable alone with `node dist-test/kubelet/<path>.cases.js`.
 */
import './cri/codec.cases.js';
import './cri/conformance.cases.js';
import './cri/socket-transport.cases.js';
import './images/image-reference.cases.js';
import './images/images.cases.js';
import './images/manifest.cases.js';
import './images/platform.cases.js';
import './logs/container-log-manager.cases.js';
import './logs/read-container-log.cases.js';
import './node/node-agent.cases.js';
import './node/node-status.cases.js';
import './pods/container-config.cases.js';
import './pods/crash-backoff.cases.js';
import './pods/go-duration.cases.js';
import './pods/pod-manager.e2e.cases.js';
import './pods/pod-manager.cases.js';
import './pods/pod-status-writer.cases.js';
import './pods/pod-worker.cases.js';
import './pods/termination-message.cases.js';
import './prober/probe-action.cases.js';
import './prober/prober-manager.cases.js';
import './runtime/simulated/images-and-sandboxes.cases.js';
import './runtime/simulated/lifecycle.cases.js';
import './runtime/simulated/output.cases.js';
import './runtime/simulated/scale.cases.js';
import './runtime/simulated/stop-and-probe.cases.js';
import './server/kubelet-server.cases.js';
import './status/compute-pod-status.cases.js';
