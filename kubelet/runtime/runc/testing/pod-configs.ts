/**
 * The CRI configs of a one-container pod, as the kubelet would send them, for the runc host
 * tests that drive the runtime directly (no kubelet): the sandbox config (hostname = pod
 * name, log dir under logRoot, the kubelet's labels) and the container config (container
 * "main", attempt 0, the kubelet's log path), with per-test additions in `extra`.
 */
import type { ContainerConfig, PodSandboxConfig } from '../../../cri/api.js';
import { containerLabels, sandboxLabels } from '../../../cri/labels.js';
import { containerLogPath, podLogDirectory } from '../../../logs/log-paths.js';

export interface OnePodSpec {
  namespace: string;
  name: string;
  uid: string;
  image: string;
  command: string[];
  /** where pod log directories go (the kubelet's /var/log/pods) */
  logRoot: string;
  extra?: Partial<ContainerConfig>;
}

export function onePodConfigs(spec: OnePodSpec): { sandboxConfig: PodSandboxConfig; config: ContainerConfig } {
  const identity = { namespace: spec.namespace, name: spec.name, uid: spec.uid };
  const sandboxConfig: PodSandboxConfig = {
    metadata: { ...identity, attempt: 0 },
    hostname: spec.name,
    logDirectory: podLogDirectory(spec.logRoot, identity),
    portMappings: [],
    labels: sandboxLabels(identity, {}),
    annotations: {},
  };
  const config: ContainerConfig = {
    metadata: { name: 'main', attempt: 0 },
    image: { image: spec.image },
    command: spec.command,
    args: [],
    workingDir: '',
    envs: [],
    mounts: [],
    labels: containerLabels(identity, 'main'),
    annotations: {},
    logPath: containerLogPath('main', 0),
    stdin: false,
    stdinOnce: false,
    tty: false,
    ...spec.extra,
  };
  return { sandboxConfig, config };
}
