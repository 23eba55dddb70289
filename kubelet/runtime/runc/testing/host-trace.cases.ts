import t from 'tap';
import { parsePodCIDR } from '../network/cni-config.js';
import { mountsUnder, parseMountInfo } from '../network/mountinfo.js';
import { assertNoTrace, bridgeLinks, cgroupMountPoints, describeTrace, iptablesLinesMentioning, isTraceEmpty, type HostTrace } from './host-trace.js';

const MOUNTINFO = [
  '22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda rw',
  '30 22 0:26 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '31 30 0:27 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '32 30 0:28 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '33 30 0:29 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  '90 22 0:4 net:[4026532300] /tmp/k8ts-a/netns/pod1 rw shared:1 - nsfs nsfs rw',
  '91 22 0:4 net:[4026532301] /tmp/k8ts-a/netns/with\\040space rw - nsfs nsfs rw',
  '92 22 0:50 / /tmp/k8ts-ab/c/rootfs rw - overlay overlay rw,lowerdir=/x',
  '93 22 0:51 / /tmp/k8ts-a rw master:3 - tmpfs tmpfs rw',
  'garbage line',
  '',
].join('\n');

t.test('mountinfo', async (t) => {
  const entries = parseMountInfo(MOUNTINFO);
  t.equal(entries.length, 9, 'garbage skipped');
  t.same(entries[5], { root: 'net:[4026532300]', mountPoint: '/tmp/k8ts-a/netns/pod1', options: 'rw', fsType: 'nsfs', source: 'nsfs', superOptions: 'rw' });
  t.equal(entries[6]!.mountPoint, '/tmp/k8ts-a/netns/with space', 'octal escapes decoded');
  t.same(
    mountsUnder(entries, '/tmp/k8ts-a').map((m) => m.mountPoint),
    ['/tmp/k8ts-a/netns/pod1', '/tmp/k8ts-a/netns/with space', '/tmp/k8ts-a'],
    'the dir and below, not a sibling sharing its prefix',
  );
  t.same(cgroupMountPoints(entries), ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/memory', '/sys/fs/cgroup/unified']);
  t.same(cgroupMountPoints(parseMountInfo('25 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n')), ['/sys/fs/cgroup'], 'pure v2: the root');
});

t.test('bridgeLinks', async (t) => {
  const json = JSON.stringify([
    { ifname: 'lo' },
    { ifname: 'k8tsabc123', link_type: 'ether' },
    { ifname: 'veth1', master: 'k8tsabc123' },
    { ifname: 'veth2', master: 'k8tsother' },
    { ifname: 'k8tsabc1234' },
  ]);
  t.same(bridgeLinks(json, 'k8tsabc123'), ['k8tsabc123 (the bridge)', 'veth1 (enslaved to k8tsabc123)']);
  t.same(bridgeLinks('not json', 'x'), []);
  t.same(bridgeLinks('{}', 'x'), []);
});

t.test('iptablesLinesMentioning', async (t) => {
  const save = [
    '*nat',
    ':CNI-DN-2c4d - [0:0]',
    '-A CNI-DN-2c4d -s 10.250.77.0/24 -p tcp -m tcp --dport 38080 -j CNI-HOSTPORT-SETMARK',
    '-A CNI-DN-2c4d -p tcp -m tcp --dport 38080 -j DNAT --to-destination 10.250.77.2:8080',
    '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"k8ts-abc123\\" id: \\"s1\\"" -j CNI-DN-2c4d',
    '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"k8ts-abc1234\\" id: \\"s1\\"" -j CNI-DN-9',
    '-A FORWARD -i k8tsabc123 -j ACCEPT',
    '-A POSTROUTING -s 10.250.78.0/24 -j MASQUERADE',
    '# 10.250.77.1 in a comment line',
    'COMMIT',
  ].join('\n');
  t.same(iptablesLinesMentioning(save, ['k8tsabc123', 'k8ts-abc123'], parsePodCIDR('10.250.77.0/24')), [
    '-A CNI-DN-2c4d -s 10.250.77.0/24 -p tcp -m tcp --dport 38080 -j CNI-HOSTPORT-SETMARK',
    '-A CNI-DN-2c4d -p tcp -m tcp --dport 38080 -j DNAT --to-destination 10.250.77.2:8080',
    '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"k8ts-abc123\\" id: \\"s1\\"" -j CNI-DN-2c4d',
    '-A FORWARD -i k8tsabc123 -j ACCEPT',
  ]);
  t.same(iptablesLinesMentioning(save, ['k8ts-nothing']), [], 'other clusters\' rules are not ours');
});

t.test('assertNoTrace lists leftovers', async (t) => {
  const empty: HostTrace = { mounts: [], links: [], cgroups: [], iptables: [], netns: [], runcState: [], processes: [] };
  const dirty: HostTrace = { ...empty, mounts: ['/s/netns/p (nsfs)'], links: ['k8tsabc (the bridge)'] };
  t.ok(isTraceEmpty(empty));
  t.notOk(isTraceEmpty(dirty));
  t.same(describeTrace(dirty), ['mounts: /s/netns/p (nsfs)', 'links: k8tsabc (the bridge)']);
  const calls: string[] = [];
  const fakeT = { pass: (m: string) => calls.push(`pass ${m}`), fail: (m: string) => calls.push(`fail ${m}`) };
  t.equal(assertNoTrace(fakeT, empty), true);
  t.equal(assertNoTrace(fakeT, dirty, 'after test x'), false);
  t.same(calls, ['pass no host resources left behind', 'fail after test x: 2 left\n  mounts: /s/netns/p (nsfs)\n  links: k8tsabc (the bridge)']);
});
