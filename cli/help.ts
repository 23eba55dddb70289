/** The text of `k8ts --help` and `k8ts up --help`, built from the defaults so they never drift. */
import { DEFAULTS, LOG_LEVELS, RUNTIMES, STORE_BACKENDS } from './options.js';

export const MAIN_HELP = `k8ts — a Kubernetes-style control plane in one Node.js process

Usage:
  k8ts up [flags]     run a cluster in the foreground (see k8ts up --help)
  k8ts runtime --socket PATH [flags]
                      serve a container runtime on a unix socket (see k8ts runtime --help)
  k8ts image import FILE | ls
                      load an image archive into DATA_DIR/images, or list it (see k8ts image --help)
  k8ts --help         show this help
  k8ts --version      print the version
`;

export const UP_HELP = `Usage: k8ts up [flags]

Runs a cluster in the foreground until SIGINT or SIGTERM. Once it serves (HTTPS, with a
CA and certificates made in DATA_DIR/pki at first start), it writes DATA_DIR/kubeconfig
with the admin's credentials; point kubectl at it with KUBECONFIG.

Flags:
  --data-dir DIR        data directory: store, certificates, kubeconfig, lock (default ${DEFAULTS.dataDir})
  --port N              API server port, 0 = any free port (default ${DEFAULTS.port})
  --address IP          address to listen on (default ${DEFAULTS.address})
  --nodes N             nodes to run, 0 = control plane only (default ${DEFAULTS.nodes})
  --runtime R           ${RUNTIMES.join('|')} (default ${DEFAULTS.runtime}: runc when installed and root)
  --store S             ${STORE_BACKENDS.join('|')} (default ${DEFAULTS.store})
  --pod-cidr CIDR       IPv4 range for pods, one /24 per node (default ${DEFAULTS.podCIDR})
  --service-cidr CIDR   IPv4 range for service IPs, /12 to /28 (default ${DEFAULTS.serviceCIDR})
  --log-level L         ${LOG_LEVELS.join('|')} (default ${DEFAULTS.logLevel})
  --token-auth-file F   bearer tokens, CSV lines token,user,uid,"group1,group2" (default none)
  --node-capacity C     what each simulated node offers (default ${DEFAULTS.nodeCapacity})
  --scheduler-config F  a KubeSchedulerConfiguration file (kubescheduler.config.k8s.io/v1,
                        YAML or JSON): profiles, plugins, weights, percentageOfNodesToScore
                        (default none: kube-scheduler's defaults)
  --anonymous           requests without credentials run as system:anonymous instead of
                        getting 401 (default off; /healthz, /livez, /readyz, /version are
                        always open)
  -h, --help            show this help
`;
