/**
 * kubelet/'s tests that touch the host — real runc containers, mounts, network namespaces,
 * CNI bridges, iptables, cgroups, a real registry — in one tap process, so they run one at
 * a time (tap runs test files in parallel). Each `*.host-cases.ts` skips itself with the
 * reason when the host cannot run it (not root, a binary missing), and checks at its end
 * that it left nothing behind.
 */
import t from 'tap';

t.setTimeout(600_000);

import './images/registry.host-cases.js';
import './images/image-pull.host-cases.js';
import './runtime/runc/oci/build-oci-spec.host-cases.js';
import './volumes/volumes.host-cases.js';
import './runtime/runc/network/network.host-cases.js';
import './runtime/runc/rootfs/overlay.host-cases.js';
import './runtime/runc/process/conmon-runc.host-cases.js';
import './runtime/runc/conformance.host-cases.js';
import './runtime/runc/crash-recovery.host-cases.js';
import './runtime/runc/streaming/streaming.host-cases.js';
