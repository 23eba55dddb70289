import t from 'tap';
import type { Mount } from '../../../cri/api.js';
import { bindMount, containerMounts, defaultMounts, podFileMounts } from './default-mounts.js';

const podFiles = { hosts: '/s/hosts', resolvConf: '/s/resolv.conf', hostname: '/s/hostname' };
const m = (containerPath: string, hostPath: string, extra: Partial<Mount> = {}): Mount => ({ containerPath, hostPath, readonly: false, ...extra });
const destinations = (list: Array<{ destination: string }>) => list.map((x) => x.destination);

t.test('defaults', async (t) => {
  t.same(destinations(defaultMounts(false)), ['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys', '/sys/fs/cgroup']);
  const sys = (privileged: boolean) => defaultMounts(privileged).filter((x) => x.destination.startsWith('/sys'));
  t.ok(sys(false).every((x) => x.options.includes('ro')), '/sys and cgroup read-only');
  t.ok(sys(true).every((x) => x.options.includes('rw') && !x.options.includes('ro')), 'privileged: writable');
  t.ok(defaultMounts(false).find((x) => x.destination === '/dev/shm')?.options.includes('size=65536k'), 'shm 64m');
});

t.test('bind mount options', async (t) => {
  const cases: Array<[string, Mount, string[]]> = [
    ['default propagation is private, rw', m('/data', '/h/data'), ['rbind', 'rprivate', 'rw']],
    ['readonly', m('/data', '/h/data', { readonly: true }), ['rbind', 'rprivate', 'ro']],
    ['PRIVATE', m('/d', '/h', { propagation: 'PROPAGATION_PRIVATE' }), ['rbind', 'rprivate', 'rw']],
    ['HOST_TO_CONTAINER', m('/d', '/h', { propagation: 'PROPAGATION_HOST_TO_CONTAINER' }), ['rbind', 'rslave', 'rw']],
    ['BIDIRECTIONAL', m('/d', '/h', { propagation: 'PROPAGATION_BIDIRECTIONAL', readonly: true }), ['rbind', 'rshared', 'ro']],
  ];
  for (const [name, mount, want] of cases) {
    const got = bindMount(mount);
    t.same(got.options, want, name);
    t.equal(got.type, 'bind');
    t.equal(got.source, mount.hostPath);
  }
  t.equal(bindMount(m('/data/./x/', '/h')).destination, '/data/x', 'destination normalized');
});

t.test('pod files', async (t) => {
  t.same(podFileMounts(podFiles, [], false), [m('/etc/hostname', '/s/hostname'), m('/etc/hosts', '/s/hosts'), m('/etc/resolv.conf', '/s/resolv.conf')]);
  t.ok(podFileMounts(podFiles, [], true).every((x) => x.readonly), 'read-only with a read-only rootfs');
  t.same(destinations(podFileMounts(podFiles, [m('/etc/hosts', '/mine')], false).map((x) => ({ destination: x.containerPath }))), ['/etc/hostname', '/etc/resolv.conf'], 'the pod mounting /etc/hosts itself wins');
});

t.test('ordering: parents before children, stable within a depth', async (t) => {
  const { mounts } = containerMounts({
    privileged: false,
    readonlyRootfs: false,
    podFiles,
    mounts: [m('/data/cache/x', '/h/x'), m('/data', '/h/data'), m('/logs', '/h/logs'), m('/data/cache', '/h/cache'), m('/a/b', '/h/ab')],
  });
  t.same(destinations(mounts), [
    '/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys', '/sys/fs/cgroup',
    '/data', '/logs',
    '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/data/cache', '/a/b',
    '/data/cache/x',
  ]);
});

t.test('overrides and propagation', async (t) => {
  const shm = containerMounts({ privileged: false, readonlyRootfs: false, podFiles, mounts: [m('/dev/shm', '/h/shm')] });
  t.equal(shm.mounts.filter((x) => x.destination === '/dev/shm').length, 1, 'pod /dev/shm replaces the default');
  t.equal(shm.mounts.find((x) => x.destination === '/dev/shm')?.type, 'bind');
  t.equal(shm.rootfsPropagation, undefined, 'private mounts need no rootfs propagation');

  const dev = containerMounts({ privileged: false, readonlyRootfs: false, podFiles, mounts: [m('/dev', '/dev')] });
  t.same(destinations(dev.mounts).filter((d) => d.startsWith('/dev')), ['/dev'], 'a pod /dev drops every default under /dev');

  const slave = containerMounts({ privileged: false, readonlyRootfs: false, podFiles, mounts: [m('/a', '/h', { propagation: 'PROPAGATION_HOST_TO_CONTAINER' })] });
  t.equal(slave.rootfsPropagation, 'rslave');
  const shared = containerMounts({
    privileged: false,
    readonlyRootfs: false,
    podFiles,
    mounts: [m('/a', '/h', { propagation: 'PROPAGATION_HOST_TO_CONTAINER' }), m('/b', '/h2', { propagation: 'PROPAGATION_BIDIRECTIONAL' })],
  });
  t.equal(shared.rootfsPropagation, 'rshared', 'shared wins over slave');
});
