/**
 * The Memory-medium emptyDir for real (root only): setUp mounts a tmpfs sized by
 * sizeLimit (visible in /proc/self/mountinfo), a second setUp does not mount again, and
 * tearDown unmounts it and removes the pod's dir. Skips cleanly without root or mount(8).
 */
import type { V1Pod } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import type { KubeClient } from '../../client/types.js';
import { mountsUnder, readMountInfo, unmount } from './mountinfo.js';
import { createPodVolumes } from './pod-volumes.js';
import { volumeDirectory } from './volume-paths.js';

const skip = process.getuid?.() !== 0 ? 'needs root to mount a tmpfs' : !existsSync('/bin/mount') && !existsSync('/usr/bin/mount') ? 'mount(8) is not installed' : false;

const client = {
  resource: () => ({
    get: async () => ({ metadata: { name: 'node-a' }, status: { allocatable: { memory: '4Gi', cpu: '2' } } }),
  }),
} as unknown as KubeClient;

t.test('a Memory emptyDir is a tmpfs of sizeLimit, unmounted on tearDown', { skip }, async (t) => {
  const root = join(t.testdir(), 'pods');
  const uid = `h4a-${randomBytes(4).toString('hex')}`;
  const podDir = join(root, uid);
  t.teardown(async () => {
    // whatever happened above, leave no mount behind
    for (const m of mountsUnder(await readMountInfo(), podDir)) await unmount(m.mountPoint).catch(() => undefined);
  });
  const volumes = createPodVolumes({ rootDir: root, client, clock: new FakeClock(), nodeName: 'node-a', logger: pino({ level: 'silent' }) });
  t.teardown(() => volumes.close());
  const pod: V1Pod = {
    metadata: { name: 'mem', namespace: 'default', uid },
    spec: {
      containers: [{ name: 'c', image: 'busybox' }],
      volumes: [
        { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        { name: 'big', emptyDir: { medium: 'Memory' } },
      ],
    },
  };
  await volumes.setUp(pod);
  const dir = volumeDirectory(root, uid, 'empty-dir', 'cache');
  const mounts = () => readMountInfo().then((all) => mountsUnder(all, podDir));
  let found = await mounts();
  t.equal(found.length, 2, 'two tmpfs mounts');
  const cache = found.find((m) => m.mountPoint === dir);
  t.equal(cache?.fsType, 'tmpfs');
  t.match(cache?.superOptions ?? '', /(^|,)size=65536k(,|$)/, 'sizeLimit 64Mi');
  t.match(found.find((m) => m.mountPoint !== dir)?.superOptions ?? '', /(^|,)size=4194304k(,|$)/, "no limits: the node's allocatable memory");
  t.equal((await stat(dir)).mode & 0o777, 0o777);
  await writeFile(join(dir, 'data'), 'in memory');

  await volumes.setUp(pod);
  found = await mounts();
  t.equal(found.length, 2, 'setUp again does not stack another mount');

  await volumes.tearDown(uid);
  t.same(await mounts(), [], 'unmounted');
  t.notOk(existsSync(podDir), "the pod's dir is gone");
  await volumes.tearDown(uid);
  t.pass('tearDown again is harmless');
});
