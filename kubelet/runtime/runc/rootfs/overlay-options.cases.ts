import t from 'tap';
import { mountPointsUnder, parseMountInfo, unescapeMountField } from './mountinfo.js';
import { commonDir, overlayOptions } from './overlay-options.js';

t.test('overlayOptions: top layer first, upper/work, ro', async (t) => {
  t.same(overlayOptions({ lowerDirs: ['/s/2/fs', '/s/1/fs'], upperDir: '/c/up', workDir: '/c/work' }), { options: 'lowerdir=/s/2/fs:/s/1/fs,upperdir=/c/up,workdir=/c/work' });
  t.same(overlayOptions({ lowerDirs: ['/s/1/fs', '/s/0/fs'], readonly: true }), { options: 'ro,lowerdir=/s/1/fs:/s/0/fs' });
  t.throws(() => overlayOptions({ lowerDirs: [] }));
  t.throws(() => overlayOptions({ lowerDirs: ['/a'], upperDir: '/u' }), /go together/);
  t.throws(() => overlayOptions({ lowerDirs: ['/a,b'] }), /contains/);
  t.throws(() => overlayOptions({ lowerDirs: ['/a:b'] }), /contains/);
  t.throws(() => overlayOptions({ lowerDirs: ['rel'] }), /absolute/);
});

t.test('overlayOptions: too long for a page → relative to the common dir, mounted from there', async (t) => {
  const base = `/var/lib/k8ts/${'d'.repeat(60)}/snapshots`;
  const lowerDirs = Array.from({ length: 60 }, (_, i) => `${base}/${60 - i}/fs`);
  const plan = overlayOptions({ lowerDirs, upperDir: `${base}/c/upper`, workDir: `${base}/c/work` });
  t.equal(plan.cwd, base);
  t.ok(plan.options.startsWith('lowerdir=60/fs:59/fs:'));
  t.ok(plan.options.endsWith(',upperdir=c/upper,workdir=c/work'));
  t.ok(Buffer.byteLength(plan.options) <= 4095);
  t.throws(() => overlayOptions({ lowerDirs: Array.from({ length: 2000 }, (_, i) => `/x/${'n'.repeat(10)}${i}`) }), /at most 4095/);
});

t.test('commonDir', async (t) => {
  t.equal(commonDir(['/a/b/c', '/a/b/d']), '/a/b');
  t.equal(commonDir(['/a/b/c', '/x/y']), '/');
  t.equal(commonDir(['/a/bc/1', '/a/b/2']), '/a');
});

t.test('mountinfo: unescape, parse, mounts under a dir deepest first', async (t) => {
  t.equal(unescapeMountField('/tmp/with\\040space\\011tab\\134back'), '/tmp/with space\ttab\\back');
  const entries = parseMountInfo([
    '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda rw',
    '100 22 0:50 / /s/c1/rootfs rw,relatime shared:50 - overlay overlay rw,lowerdir=/a,upperdir=/b,workdir=/c',
    '101 100 0:51 / /s/c1/rootfs/proc rw - proc proc rw',
    '102 22 0:52 / /s/c10/rootfs rw - overlay overlay rw',
    '103 22 0:53 / /s/with\\040space rw - tmpfs tmp\\040fs rw',
    'garbage',
  ].join('\n'));
  t.equal(entries.length, 5);
  t.same(entries[1], { root: '/', mountPoint: '/s/c1/rootfs', options: 'rw,relatime', fsType: 'overlay', source: 'overlay', superOptions: 'rw,lowerdir=/a,upperdir=/b,workdir=/c' });
  t.equal(entries[4]!.mountPoint, '/s/with space');
  t.equal(entries[4]!.source, 'tmp fs');
  t.same(mountPointsUnder(entries, '/s/c1'), ['/s/c1/rootfs/proc', '/s/c1/rootfs']);
  t.same(mountPointsUnder(entries, '/s/c1/rootfs/'), ['/s/c1/rootfs/proc', '/s/c1/rootfs']);
  t.same(mountPointsUnder(entries, '/nothing'), []);
});
