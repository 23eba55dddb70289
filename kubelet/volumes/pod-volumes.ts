/**
 * The kubelet's volume manager for real runtimes: createPodVolumes implements PodVolumes
 * (./types.ts) over kube's on-disk layout (./volume-paths.ts). setUp makes every volume of
 * a pod present and current — emptyDir, hostPath, and the AtomicWriter volumes
 * (configMap, secret, downwardAPI, projected) rewritten from the API on every call, which
 * is how kube keeps them in step with their objects (the pod worker syncs periodically).
 * Bound ServiceAccount tokens are also refreshed by a timer per pod, so a pod that never
 * syncs still gets a new token before the old one expires.
 *
 * Calls for one pod are serialized (a timer refresh and a sync must not write the same
 * AtomicWriter dir at once). Errors name the volume as kube's FailedMount events do:
 *   MountVolume.SetUp failed for volume "config" : configmap "app" not found
 * Secrets are written to plain directories; kube puts them on a tmpfs so they never
 * touch the disk — a known difference.
 */
import type { V1ConfigMap, V1Node, V1Pod, V1ProjectedVolumeSource, V1Secret, V1Volume } from '@kubernetes/client-node';
import { rm } from 'node:fs/promises';
import { totalmem } from 'node:os';
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import { parseQuantity } from '../../client/quantity.js';
import type { KubeClient } from '../../client/types.js';
import type { Mount } from '../cri/api.js';
import { writeAtomically, type Payload } from './atomic-writer.js';
import { containerMounts } from './container-mounts.js';
import { downwardApiPayload, needsAllocatable } from './downward-api.js';
import { setUpEmptyDir } from './empty-dir.js';
import { setUpHostPath } from './host-path.js';
import { decodeKeys, DEFAULT_VOLUME_FILE_MODE, keyPayload } from './key-payload.js';
import { mountsUnder, readMountInfo, unmount } from './mountinfo.js';
import { DEFAULT_TOKEN_REFRESH_SETTINGS, ServiceAccountTokens, type TokenRefreshSettings } from './service-account-token.js';
import { VolumeSetUpError, type PodVolumes } from './types.js';
import { podDirectory, volumeDirectory, volumeKind } from './volume-paths.js';

export interface PodVolumesOptions {
  /** <kubelet data dir>/pods */
  rootDir: string;
  client: KubeClient;
  clock: Clock;
  nodeName: string;
  logger: Logger;
  tokenRefresh?: Partial<TokenRefreshSettings>;
}

export const mountFailedMessage = (volumeName: string, err: unknown): string =>
  `MountVolume.SetUp failed for volume "${volumeName}" : ${err instanceof Error ? err.message : String(err)}`;

const isNotFound = (err: unknown): boolean => {
  const e = err as { code?: unknown; status?: { code?: unknown } } | null;
  return typeof e === 'object' && e !== null && (e.code === 404 || e.status?.code === 404);
};

/** a uid that is safe to use as one path element (never '', '.', '..' or with a slash) */
const safeUid = (uid: string | undefined): string | undefined => (uid && !uid.includes('/') && uid !== '.' && uid !== '..' ? uid : undefined);

export function createPodVolumes(opts: PodVolumesOptions): PodVolumes {
  const { rootDir, client, clock, logger } = opts;
  const settings: TokenRefreshSettings = { ...DEFAULT_TOKEN_REFRESH_SETTINGS, ...opts.tokenRefresh };
  const tokens = new ServiceAccountTokens(client, clock, settings);
  /** the latest pod of each uid set up, for the refresh timer */
  const known = new Map<string, V1Pod>();
  const timers = new Map<string, () => void>();
  const locks = new Map<string, Promise<unknown>>();
  let closed = false;

  /** run fn after every earlier call for this pod finished */
  const serialized = <T>(uid: string, fn: () => Promise<T>): Promise<T> => {
    const previous = locks.get(uid) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => undefined);
    locks.set(uid, settled);
    void settled.then(() => {
      if (locks.get(uid) === settled) locks.delete(uid);
    });
    return next;
  };

  const fetchKeys = async (kind: 'configmap' | 'secret', namespace: string, name: string, optional: boolean): Promise<Map<string, Buffer>> => {
    try {
      const obj = (await client.resource('v1', kind === 'configmap' ? 'ConfigMap' : 'Secret').get(name, { namespace })) as V1ConfigMap | V1Secret;
      return decodeKeys(kind, obj);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // kube's kubelet reads through its own cache, whose NotFound names the kind in the singular
      if (!optional) throw new Error(`${kind} "${name}" not found`);
      return new Map();
    }
  };

  const nodeAllocatable = async (): Promise<Record<string, string>> => {
    const node = (await client.resource('v1', 'Node').get(opts.nodeName)) as V1Node;
    return (node.status?.allocatable ?? {}) as Record<string, string>;
  };

  const nodeAllocatableMemory = async (): Promise<number> => {
    const fromNode = await nodeAllocatable().then(
      (a) => parseQuantity(a['memory']),
      () => undefined,
    );
    return fromNode ?? totalmem();
  };

  const projectedPayload = async (pod: V1Pod, source: V1ProjectedVolumeSource): Promise<Payload> => {
    const namespace = pod.metadata?.namespace ?? 'default';
    const defaultMode = source.defaultMode ?? DEFAULT_VOLUME_FILE_MODE;
    const fsGroup = pod.spec?.securityContext?.fsGroup;
    const payload: Payload = new Map();
    const errors: string[] = [];
    const allocatable = (source.sources ?? []).some((s) => needsAllocatable(s.downwardAPI?.items)) ? await nodeAllocatable() : {};
    for (const s of source.sources ?? []) {
      try {
        let part: Payload = new Map();
        if (s.configMap) {
          const optional = Boolean(s.configMap.optional);
          part = keyPayload({ kind: 'configmap', items: s.configMap.items, optional }, await fetchKeys('configmap', namespace, s.configMap.name ?? '', optional), defaultMode);
        } else if (s.secret) {
          const optional = Boolean(s.secret.optional);
          part = keyPayload({ kind: 'secret', items: s.secret.items, optional }, await fetchKeys('secret', namespace, s.secret.name ?? '', optional), defaultMode);
        } else if (s.downwardAPI) {
          part = downwardApiPayload(pod, s.downwardAPI.items ?? [], defaultMode, allocatable);
        } else if (s.serviceAccountToken) {
          const token = await tokens.token(pod, s.serviceAccountToken).catch((err: unknown) => {
            throw new Error(`failed to fetch token: ${err instanceof Error ? err.message : String(err)}`);
          });
          // kube: 0600 under an fsGroup (SetVolumeOwnership then adds group read), else defaultMode
          part.set(s.serviceAccountToken.path, { content: Buffer.from(token.token), mode: fsGroup !== undefined ? 0o600 : defaultMode });
        }
        for (const [path, file] of part) payload.set(path, file);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (errors.length === 1) throw new Error(errors[0]);
    if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
    return payload;
  };

  const setUpVolume = async (pod: V1Pod, uid: string, volume: V1Volume): Promise<void> => {
    const kind = volumeKind(volume);
    if ('unsupported' in kind) throw new Error(`${kind.unsupported} volume type not supported by k8ts yet`);
    const namespace = pod.metadata?.namespace ?? 'default';
    const fsGroup = pod.spec?.securityContext?.fsGroup;
    const write = (payload: Payload) => writeAtomically(volumeDirectory(rootDir, uid, kind.plugin as Exclude<typeof kind.plugin, 'host-path'>, volume.name), payload, clock.now(), fsGroup);
    switch (kind.plugin) {
      case 'host-path':
        return setUpHostPath(volume.hostPath!.path, volume.hostPath!.type);
      case 'empty-dir':
        return setUpEmptyDir(volumeDirectory(rootDir, uid, 'empty-dir', volume.name), volume, pod, nodeAllocatableMemory);
      case 'configmap': {
        const source = volume.configMap!;
        const optional = Boolean(source.optional);
        const keys = await fetchKeys('configmap', namespace, source.name ?? '', optional);
        await write(keyPayload({ kind: 'configmap', items: source.items, optional }, keys, source.defaultMode ?? DEFAULT_VOLUME_FILE_MODE));
        return;
      }
      case 'secret': {
        const source = volume.secret!;
        const optional = Boolean(source.optional);
        const keys = await fetchKeys('secret', namespace, source.secretName ?? '', optional);
        await write(keyPayload({ kind: 'secret', items: source.items, optional }, keys, source.defaultMode ?? DEFAULT_VOLUME_FILE_MODE));
        return;
      }
      case 'downward-api': {
        const source = volume.downwardAPI!;
        const allocatable = needsAllocatable(source.items) ? await nodeAllocatable() : {};
        await write(downwardApiPayload(pod, source.items ?? [], source.defaultMode ?? DEFAULT_VOLUME_FILE_MODE, allocatable));
        return;
      }
      case 'projected':
        await write(await projectedPayload(pod, volume.projected!));
        return;
    }
  };

  const scheduleRefresh = (uid: string, atMs: number | undefined) => {
    timers.get(uid)?.();
    timers.delete(uid);
    if (closed || atMs === undefined || !known.has(uid)) return;
    const cancel = clock.setTimer(Math.max(0, atMs - clock.now()), () => {
      timers.delete(uid);
      const pod = known.get(uid);
      if (!pod || closed) return;
      setUp(pod).catch((err: unknown) => {
        logger.warn({ uid, err: err instanceof Error ? err.message : String(err) }, 'refreshing projected service account tokens failed');
        scheduleRefresh(uid, clock.now() + settings.retryAfterFailureMs);
      });
    });
    timers.set(uid, cancel);
  };

  const setUp = (pod: V1Pod): Promise<void> => {
    const uid = safeUid(pod.metadata?.uid);
    if (!uid) return Promise.reject(new Error('pod has no usable metadata.uid'));
    return serialized(uid, async () => {
      known.set(uid, pod);
      const messages: string[] = [];
      for (const volume of pod.spec?.volumes ?? []) {
        try {
          await setUpVolume(pod, uid, volume);
        } catch (err) {
          messages.push(mountFailedMessage(volume.name, err));
        }
      }
      scheduleRefresh(uid, tokens.nextRefreshAtMs(uid));
      if (messages.length > 0) throw new VolumeSetUpError(messages);
    });
  };

  const tearDown = (podUid: string): Promise<void> => {
    const uid = safeUid(podUid);
    if (!uid) return Promise.resolve();
    const forget = () => {
      known.delete(uid);
      scheduleRefresh(uid, undefined);
      tokens.forgetPod(uid);
    };
    forget();
    return serialized(uid, async () => {
      // again: a setUp queued before this call may have run in between
      forget();
      const dir = podDirectory(rootDir, uid);
      for (const m of mountsUnder(await readMountInfo(), dir)) {
        await unmount(m.mountPoint).catch((err: unknown) => logger.warn({ uid, mountPoint: m.mountPoint, err: err instanceof Error ? err.message : String(err) }, 'unmount failed'));
      }
      const left = mountsUnder(await readMountInfo(), dir);
      // never delete recursively through a mounted filesystem
      if (left.length > 0) throw new Error(`cannot remove the volumes of pod ${uid}: still mounted: ${left.map((m) => m.mountPoint).join(', ')}`);
      await rm(dir, { recursive: true, force: true });
    });
  };

  return {
    setUp,
    mountsFor: (pod, container): Mount[] => containerMounts(rootDir, pod, container),
    tearDown,
    async close() {
      closed = true;
      for (const cancel of timers.values()) cancel();
      timers.clear();
      await Promise.all([...locks.values()]);
    },
  };
}
