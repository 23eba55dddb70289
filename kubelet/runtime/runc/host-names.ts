/**
 * Names of every host resource one runc runtime instance creates. Each carries the
 * instance's tag — a short hash of (cluster id, node name) — so two clusters (or two nodes
 * of one cluster) on the same host never collide, and a restarted runtime finds exactly what
 * its previous run left behind (and nothing of anyone else's).
 *
 * Linux limits interface names to 15 bytes, hence the short tag. Files live under the
 * runtime's state dir, which is per node (DATA_DIR/nodes/NAME/runtime).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** 6 hex digits: 16 M values, enough for the clusters one host runs at once */
export const runtimeTag = (clusterId: string, nodeName: string): string =>
  createHash('sha256').update(`${clusterId}/${nodeName}`).digest('hex').slice(0, 6);

export interface HostNames {
  tag: string;
  /** the CNI bridge: 'k8ts' + tag (10 bytes) */
  bridge: string;
  /** the CNI network name (also host-local's lease sub-directory) */
  cniNetwork: string;
  /** cgroup parent (relative to each controller's root, or to the v2 root): /k8ts-<tag> */
  cgroupParent: string;
  /** where pinned network namespaces go */
  netnsDir: string;
  /** runc --root */
  runcRoot: string;
  /** one directory per container: bundle (config.json, rootfs mount point, upper/work), conmon files */
  containersDir: string;
  /** one directory per sandbox: hosts, resolv.conf, hostname, the sandbox record */
  sandboxesDir: string;
  /** conmon exit files (one per container id) */
  exitsDir: string;
  /** conmon attach/ctl sockets (kept short: unix socket paths are limited to 107 bytes) */
  socketsDir: string;
  /** host-local IPAM leases */
  ipamDir: string;
}

export function hostNames(stateDir: string, clusterId: string, nodeName: string): HostNames {
  const tag = runtimeTag(clusterId, nodeName);
  return {
    tag,
    bridge: `k8ts${tag}`,
    cniNetwork: `k8ts-${tag}`,
    cgroupParent: `/k8ts-${tag}`,
    netnsDir: join(stateDir, 'netns'),
    runcRoot: join(stateDir, 'runc'),
    containersDir: join(stateDir, 'containers'),
    sandboxesDir: join(stateDir, 'sandboxes'),
    exitsDir: join(stateDir, 'exits'),
    socketsDir: join(stateDir, 's'),
    ipamDir: join(stateDir, 'ipam'),
  };
}
