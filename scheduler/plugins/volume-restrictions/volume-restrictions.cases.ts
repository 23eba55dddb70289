import t from 'tap';
import type { V1PersistentVolumeClaim, V1Pod, V1Volume } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo, newPodInfo } from '../../framework/node-info.js';
import { fakeHandle } from '../helpers/fake-handle.js';
import { VolumeRestrictions, factory } from './index.js';

const DISK = 'node(s) had no available disk';
const RWOP = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

let n = 0;
const pod = (volumes: V1Volume[], namespace = 'default'): V1Pod => ({
  metadata: { name: `p${n}`, namespace, uid: `uid-${n++}` },
  spec: { containers: [{ name: 'c' }], volumes },
});
const gce = (pdName: string, readOnly = false): V1Volume => ({ name: `gce-${pdName}`, gcePersistentDisk: { pdName, readOnly } });
const ebs = (volumeID: string): V1Volume => ({ name: `ebs-${volumeID}`, awsElasticBlockStore: { volumeID } });
const rbd = (monitors: string[], image: string, readOnly = false): V1Volume => ({ name: `rbd-${image}`, rbd: { monitors, image, pool: 'foo', readOnly } });
const iscsi = (iqn: string, readOnly = false): V1Volume => ({ name: `iscsi-${iqn}`, iscsi: { targetPortal: '127.0.0.1:3260', iqn, lun: 0, readOnly } });
const claim = (claimName: string): V1Volume => ({ name: `pvc-${claimName}`, persistentVolumeClaim: { claimName } });
const pvc = (name: string, accessModes: string[], namespace = 'default'): V1PersistentVolumeClaim => ({ metadata: { name, namespace }, spec: { accessModes } });

const pvcs = [pvc('rwop', ['ReadWriteOncePod']), pvc('rwop2', ['ReadWriteOncePod']), pvc('rwo', ['ReadWriteOnce']), pvc('rwop', ['ReadWriteOncePod'], 'other')];

const cases: {
  name: string;
  pod: V1Pod;
  onNode?: V1Pod[];
  elsewhere?: V1Pod[];
  preFilter: string;
  preFilterReasons?: string[];
  code?: string;
  reasons?: string[];
}[] = [
  { name: 'nothing to check: Skip', pod: pod([]), preFilter: 'Skip' },
  { name: 'gce: other disk', pod: pod([gce('foo')]), onNode: [pod([gce('bar')])], preFilter: 'Success', code: 'Success' },
  { name: 'gce: same disk', pod: pod([gce('foo')]), onNode: [pod([gce('foo')])], preFilter: 'Success', code: 'Unschedulable', reasons: [DISK] },
  { name: 'gce: both read-only', pod: pod([gce('foo', true)]), onNode: [pod([gce('foo', true)])], preFilter: 'Success', code: 'Success' },
  { name: 'gce: one read-write', pod: pod([gce('foo', true)]), onNode: [pod([gce('foo')])], preFilter: 'Success', code: 'Unschedulable', reasons: [DISK] },
  { name: 'ebs: same volume', pod: pod([ebs('v1')]), onNode: [pod([ebs('v1')])], preFilter: 'Success', code: 'Unschedulable', reasons: [DISK] },
  { name: 'ebs: other volume', pod: pod([ebs('v1')]), onNode: [pod([ebs('v2')])], preFilter: 'Success', code: 'Success' },
  { name: 'rbd: shared monitor', pod: pod([rbd(['a', 'b'], 'img')]), onNode: [pod([rbd(['b', 'c'], 'img')])], preFilter: 'Success', code: 'Unschedulable', reasons: [DISK] },
  { name: 'rbd: no shared monitor', pod: pod([rbd(['a'], 'img')]), onNode: [pod([rbd(['c'], 'img')])], preFilter: 'Success', code: 'Success' },
  { name: 'rbd: both read-only', pod: pod([rbd(['a'], 'img', true)]), onNode: [pod([rbd(['a'], 'img', true)])], preFilter: 'Success', code: 'Success' },
  { name: 'iscsi: same iqn', pod: pod([iscsi('iqn.1')]), onNode: [pod([iscsi('iqn.1')])], preFilter: 'Success', code: 'Unschedulable', reasons: [DISK] },
  { name: 'iscsi: read-only', pod: pod([iscsi('iqn.1', true)]), onNode: [pod([iscsi('iqn.1', true)])], preFilter: 'Success', code: 'Success' },
  { name: 'disk elsewhere does not matter', pod: pod([gce('foo')]), elsewhere: [pod([gce('foo')])], preFilter: 'Success', code: 'Success' },
  {
    name: 'missing claim',
    pod: pod([claim('nope')]),
    preFilter: 'UnschedulableAndUnresolvable',
    preFilterReasons: ['persistentvolumeclaim "nope" not found'],
  },
  { name: 'rwop claim unused: Skip', pod: pod([claim('rwop')]), preFilter: 'Skip' },
  { name: 'rwo claim in use: Skip', pod: pod([claim('rwo')]), elsewhere: [pod([claim('rwo')])], preFilter: 'Skip' },
  { name: 'rwop claim used on another node', pod: pod([claim('rwop')]), elsewhere: [pod([claim('rwop')])], preFilter: 'Success', code: 'Unschedulable', reasons: [RWOP] },
  { name: 'rwop claim used on this node', pod: pod([claim('rwop')]), onNode: [pod([claim('rwop')])], preFilter: 'Success', code: 'Unschedulable', reasons: [RWOP] },
  { name: 'same claim name in another namespace', pod: pod([claim('rwop')]), elsewhere: [pod([claim('rwop')], 'other')], preFilter: 'Skip' },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const here = new NodeInfo('here', { metadata: { name: 'here' } });
    const there = new NodeInfo('there', { metadata: { name: 'there' } });
    for (const p of c.onNode ?? []) here.addPod(newPodInfo(p));
    for (const p of c.elsewhere ?? []) there.addPod(newPodInfo(p));
    const plugin = factory(undefined, fakeHandle([here, there], { pvcs })) as VolumeRestrictions;
    const state = new CycleState();
    const pre = plugin.preFilter(state, c.pod);
    t.equal(pre.status.code, c.preFilter, 'prefilter');
    if (c.preFilterReasons) t.same(pre.status.reasons, c.preFilterReasons);
    if (c.code === undefined) return;
    const s = plugin.filter(state, c.pod, here);
    t.equal(s.code, c.code);
    t.same(s.reasons, c.reasons ?? []);
  });
}

t.test('preemption what-if: removing the claim holder makes room', async (t) => {
  const holder = pod([claim('rwop')]);
  const here = new NodeInfo('here', { metadata: { name: 'here' } });
  here.addPod(newPodInfo(holder));
  const plugin = new VolumeRestrictions(fakeHandle([here], { pvcs }));
  const incoming = pod([claim('rwop'), claim('rwop2')]);
  const state = new CycleState();
  t.equal(plugin.preFilter(state, incoming).status.code, 'Success');
  const sim = state.clone();
  const ext = plugin.preFilterExtensions();
  t.equal(ext.removePod(sim, incoming, newPodInfo(holder), here).code, 'Success');
  t.equal(plugin.filter(sim, incoming, here).code, 'Success', 'fits once the holder is gone');
  t.equal(plugin.filter(state, incoming, here).code, 'Unschedulable', 'the original state is untouched');
  ext.addPod(sim, incoming, newPodInfo(holder), here);
  t.equal(plugin.filter(sim, incoming, here).code, 'Unschedulable', 'and back');
});

t.test('queueing hints', async (t) => {
  const events = new VolumeRestrictions(fakeHandle([])).eventsToRegister();
  const deleted = events.find((e) => e.event.resource === 'AssignedPod')!;
  const pvcAdded = events.find((e) => e.event.resource === 'PersistentVolumeClaim')!;
  const waiting = pod([gce('foo'), claim('rwop')]);
  t.equal(deleted.hint!(waiting, pod([gce('foo')]), undefined), 'Queue', 'disk freed');
  t.equal(deleted.hint!(waiting, pod([claim('rwop')]), undefined), 'Queue', 'claim freed');
  t.equal(deleted.hint!(waiting, pod([gce('bar')]), undefined), 'Skip');
  t.equal(deleted.hint!(waiting, pod([claim('rwop')], 'other'), undefined), 'Skip', 'other namespace');
  t.equal(pvcAdded.hint!(waiting, undefined, pvc('rwop', [])), 'Queue');
  t.equal(pvcAdded.hint!(waiting, undefined, pvc('x', [])), 'Skip');
  t.equal(pvcAdded.hint!(waiting, undefined, pvc('rwop', [], 'other')), 'Skip');
});
