/**
 * `--nodes N`: N kubelets in this process, k8ts-node-1 … k8ts-node-N, each with its own
 * client certificate (system:node:NAME), serving certificate, /24 of the pod CIDR (kube's
 * node IPAM order: node i gets the i-th /24), data dir (DATA_DIR/nodes/NAME) and runtime.
 * They reach the API server over HTTPS like remote kubelets would.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { kubeVersionInfo } from '../apiserver/version.js';
import type { Clock } from '../client/clock.js';
import { createClient } from '../client/create-client.js';
import { startKubelet, type Kubelet } from '../kubelet/kubelet.js';
import { imageStoreDir } from '../kubelet/images/image-names.js';
import { createRuncRuntime } from '../kubelet/runtime/runc/index.js';
import type { RuncRuntimeSettings } from '../kubelet/runtime/runc/settings.js';
import { createSimulatedRuntime } from '../kubelet/runtime/simulated/index.js';
import type { KubeletSettings } from '../kubelet/settings.js';
import { formatIpv4 } from './cidr.js';
import { StartupError } from './errors.js';
import { NODE_POD_CIDR_PREFIX, type ResolvedClusterOptions } from './options.js';
import { kubeletIdentity, nodeName, type Pki } from './pki/pki.js';
import type { RuntimeResolution } from './runtime.js';

export interface KubeletsInput {
  options: ResolvedClusterOptions;
  pki: Pki;
  /** the API server's URL */
  url: string;
  /** names the nodes' machine ids, stable across restarts */
  clusterId: string;
  runtime: RuntimeResolution;
  settings?: Partial<KubeletSettings>;
  /** the runc runtime's timings (tests shorten them) */
  runcSettings?: Partial<RuncRuntimeSettings>;
  clock?: Clock;
  log: Logger;
}

/** the i-th (1-based) /24 of the pod CIDR */
export function nodePodCIDR(podCIDR: ResolvedClusterOptions['podCIDR'], i: number): string {
  return `${formatIpv4(podCIDR.network + (i - 1) * 2 ** (32 - NODE_POD_CIDR_PREFIX))}/${NODE_POD_CIDR_PREFIX}`;
}

/** 32 hex digits naming a node of this cluster, the same at every start */
const nodeHash = (clusterId: string, node: string, purpose = 'machine-id') => createHash('sha256').update(`${clusterId}/${node}/${purpose}`).digest('hex').slice(0, 32);

/** kubelets listen where the API server does, but a wildcard address is no node IP */
const nodeAddress = (address: string) => (address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address);

export async function startKubelets(input: KubeletsInput): Promise<{ kubelets: Kubelet[]; stop(): Promise<void> }> {
  const { options: o, pki, runtime } = input;
  if (o.nodes === 0) return { kubelets: [], stop: async () => undefined };
  if (runtime.runtime === 'runc' && runtime.warning) {
    throw new StartupError(`--runtime runc: ${runtime.warning}; use --runtime simulated (or auto)`);
  }
  const kubeletVersion = kubeVersionInfo().gitVersion;
  const started: Kubelet[] = [];
  const clients: Array<{ close(): void }> = [];
  const runtimes: Array<{ close(): Promise<void> }> = [];
  const stop = async () => {
    await Promise.all(started.splice(0).map((k) => k.stop()));
    await Promise.all(runtimes.splice(0).map((r) => r.close()));
    for (const client of clients.splice(0)) client.close();
  };
  try {
    // in parallel: a node's startup is mostly waiting for the API server
    await Promise.all(
      Array.from({ length: o.nodes }, async (_, index) => {
        const name = nodeName(index + 1);
        const credentials = pki.clients.get(kubeletIdentity(name).user);
        const serving = pki.kubeletServing.get(name);
        if (!credentials || !serving) throw new StartupError(`no certificates for node ${name} in ${pki.dir}`);
        const client = createClient({ server: input.url, ca: pki.ca.cert, cert: credentials.cert, key: credentials.key });
        clients.push(client);
        const podCIDR = nodePodCIDR(o.podCIDR, index + 1);
        const nodeRuntime =
          runtime.runtime === 'runc'
            ? await createRuncRuntime({
                clusterId: input.clusterId,
                nodeName: name,
                stateDir: join(o.dataDir, 'nodes', name, 'runtime'),
                imageDir: imageStoreDir(o.dataDir),
                podCIDR,
                ...(input.runcSettings && { settings: input.runcSettings }),
                logger: input.log,
              }).catch((err: Error) => {
                throw new StartupError(`node ${name}: the runc runtime cannot start: ${err.message}`);
              })
            : createSimulatedRuntime({ podCIDR, ...(input.clock && { clock: input.clock }), logger: input.log, nodeName: name });
        runtimes.push(nodeRuntime);
        const kubelet = await startKubelet({
          nodeName: name,
          client,
          runtime: nodeRuntime,
          runtimeName: runtime.runtime === 'runc' ? 'runc' : 'sim',
          hostVolumes: runtime.runtime === 'runc',
          dataDir: join(o.dataDir, 'nodes', name),
          address: nodeAddress(o.address),
          tls: { cert: serving.cert, key: serving.key, clientCA: pki.ca.cert },
          capacity: { ...o.nodeCapacity },
          podCIDR,
          kubeletVersion,
          machineID: nodeHash(input.clusterId, name),
          systemUUID: nodeHash(input.clusterId, name, 'uuid').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
          extraLabels: { 'k8ts.io/runtime': runtime.runtime },
          ...(input.settings && { settings: input.settings }),
          ...(input.clock && { clock: input.clock }),
          logger: input.log.child({ component: 'kubelet' }),
        });
        started.push(kubelet);
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  input.log.info(`nodes: ${o.nodes} kubelet(s) on the ${runtime.runtime} runtime (${runtime.reason}), pod CIDRs ${nodePodCIDR(o.podCIDR, 1)}…`);
  return { kubelets: started, stop };
}
