/**
 * What the runc host tests (the runtime's conformance host cases and the runc end-to-end
 * test) need from the machine, in one place so both skip for the same reasons and seed
 * their images the same way:
 * - runcHostProblems: what is missing for real containers (root, runc, conmon, the CNI
 *   plugins, docker-registry, busybox-static); empty when the host can run them.
 * - seedBusyboxRegistry: a real registry (Debian's docker-registry on 127.0.0.1, no auth)
 *   holding busybox images built from /usr/bin/busybox, so pulls go over the network the
 *   way a node's do.
 */
import { existsSync } from 'node:fs';
import { ContentStore } from '../../../images/content-store.js';
import { buildBusyboxImage } from '../../../images/testing/busybox-images.js';
import { pushImage } from '../../../images/testing/push-image.js';
import { startRegistry, type RunningRegistry } from '../../../images/testing/registry-harness.js';

/** the missing prerequisites, named for a skip message ("needs root, runc") */
export function runcHostProblems(): string[] {
  const problems: Array<string | false> = [
    process.getuid?.() !== 0 && 'root',
    !existsSync('/usr/sbin/runc') && !existsSync('/usr/bin/runc') && 'runc',
    !existsSync('/usr/bin/conmon') && 'conmon',
    !existsSync('/usr/lib/cni/bridge') && 'the CNI plugins',
    !existsSync('/usr/bin/docker-registry') && 'docker-registry',
    !existsSync('/usr/bin/busybox') && 'busybox-static',
  ];
  return problems.filter((p): p is string => p !== false);
}

export interface SeededRegistry {
  registry: RunningRegistry;
  /** the store the images were built in (more can be built and pushed from it) */
  seed: ContentStore;
  /** `<host>/busybox:1.36` */
  image: string;
  /** `<host>/spare:1`: another busybox image (another config digest, cmd `true`), when asked for */
  spareImage?: string;
  stop(): Promise<void>;
}

/**
 * Starts a registry and pushes busybox to it from a content store built in seedDir. With
 * spare, a second image too: removing it must not remove busybox, as CRI's removeImage
 * drops every name of the image it resolves to. The registry is stopped again if seeding fails.
 */
export async function seedBusyboxRegistry(seedDir: string, opts: { spare?: boolean } = {}): Promise<SeededRegistry> {
  const registry = await startRegistry({ auth: 'none' });
  try {
    const seed = await ContentStore.open(seedDir);
    await buildBusyboxImage(seed, { tag: 'busybox' });
    await pushImage(seed, 'busybox', { host: registry.host, repository: 'busybox', tag: '1.36' });
    let spareImage: string | undefined;
    if (opts.spare) {
      await buildBusyboxImage(seed, { tag: 'spare', cmd: ['true'] });
      await pushImage(seed, 'spare', { host: registry.host, repository: 'spare', tag: '1' });
      spareImage = `${registry.host}/spare:1`;
    }
    return { registry, seed, image: `${registry.host}/busybox:1.36`, ...(spareImage ? { spareImage } : {}), stop: () => registry.stop() };
  } catch (err) {
    await registry.stop().catch(() => undefined);
    throw err;
  }
}
