import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import {
  clusterIPError,
  clusterIPsOf,
  IpAllocator,
  needsClusterIP,
  needsHealthCheckNodePort,
  needsNodePorts,
  nodePortError,
  nodePortsOf,
  PortAllocator,
} from './service-allocation.js';

const svc = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 's' }, spec });

t.test('which Services need what', async (t) => {
  const cases: Array<[string, Record<string, unknown>, boolean, boolean, boolean]> = [
    // name, spec, clusterIP, nodePorts, healthCheck
    ['ClusterIP', { type: 'ClusterIP' }, true, false, false],
    ['headless', { type: 'ClusterIP', clusterIP: 'None' }, false, false, false],
    ['ExternalName', { type: 'ExternalName', externalName: 'x.example.com' }, false, false, false],
    ['NodePort', { type: 'NodePort' }, true, true, false],
    ['LoadBalancer', { type: 'LoadBalancer' }, true, true, false],
    ['LoadBalancer without node ports', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }, true, false, false],
    ['LoadBalancer Local', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, true, true, true],
  ];
  for (const [name, spec, ip, ports, hc] of cases) {
    t.equal(needsClusterIP(svc(spec)), ip, `${name}: clusterIP`);
    t.equal(needsNodePorts(svc(spec)), ports, `${name}: nodePorts`);
    t.equal(needsHealthCheckNodePort(svc(spec)), hc, `${name}: healthCheckNodePort`);
  }
  t.same(clusterIPsOf(svc({ clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'] })), ['10.96.0.5']);
  t.same(clusterIPsOf(svc({ clusterIP: '10.96.0.5' })), ['10.96.0.5']);
  t.same(clusterIPsOf(svc({ clusterIP: 'None', clusterIPs: ['None'] })), []);
  t.same(nodePortsOf(svc({ ports: [{ port: 80, nodePort: 30080 }, { port: 81 }], healthCheckNodePort: 31000 })), [30080, 31000]);
});

t.test('IpAllocator: dynamic band first, specific addresses, errors in kube words', async (t) => {
  const a = new IpAllocator('10.96.0.0/24');
  t.equal(a.size, 254);
  t.same(a.allocate(), { ok: true, value: '10.96.0.17' });
  t.same(a.allocate(), { ok: true, value: '10.96.0.18' });
  t.same(a.allocate('10.96.0.10'), { ok: true, value: '10.96.0.10' });
  t.same(a.allocate('10.96.0.10'), { ok: false, reason: 'allocated', detail: 'provided IP is already allocated' });
  t.same(a.allocate('10.96.0.0'), {
    ok: false,
    reason: 'out-of-range',
    detail: 'provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/24',
  });
  t.match(a.allocate('10.96.0.255'), { ok: false, reason: 'out-of-range' }, 'broadcast is not handed out');
  t.match(a.allocate('10.97.0.1'), { ok: false, reason: 'out-of-range' });
  t.match(a.allocate('nope'), { ok: false, reason: 'invalid' });
  t.equal(a.used(), 3);
  a.release('10.96.0.17');
  a.release('10.96.0.17');
  a.release('1.2.3.4');
  t.equal(a.used(), 2);
  t.notOk(a.has('10.96.0.17'));
  t.ok(a.has('10.96.0.10'));
});

t.test('IpAllocator: reserved addresses, fill up, restore', async (t) => {
  const a = new IpAllocator('10.0.0.0/29', ['10.0.0.1']); // 6 usable, all static
  t.ok(a.has('10.0.0.1'));
  const got = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const r = a.allocate();
    if (r.ok) got.add(r.value);
  }
  t.same([...got].sort(), ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
  t.same(a.allocate(), { ok: false, reason: 'full', detail: 'range is full' });
  a.release('10.0.0.1');
  t.ok(a.has('10.0.0.1'), 'reserved addresses are not released');

  t.same(a.restore(['10.0.0.3', '192.168.0.1']), ['192.168.0.1']);
  t.equal(a.used(), 2);
  t.ok(a.has('10.0.0.1') && a.has('10.0.0.3'));
  t.throws(() => new IpAllocator('10.0.0.0/33'));
  t.throws(() => new IpAllocator('10.0.0.0/24', ['10.0.1.1']));
  t.equal(new IpAllocator('10.96.0.0/12').size, 2 ** 20 - 2);
  t.equal(new IpAllocator('10.0.0.7/32').size, 1);
});

t.test('PortAllocator: 30000-32767', async (t) => {
  const p = new PortAllocator();
  t.equal(p.range, '30000-32767');
  t.equal(p.size, 2768);
  // static band: min(max(16, 2768/32=86), 128) = 86 ports
  t.same(p.allocate(), { ok: true, value: 30086 });
  t.same(p.allocate(30080), { ok: true, value: 30080 });
  t.same(p.allocate(30080), { ok: false, reason: 'allocated', detail: 'provided port is already allocated' });
  t.same(p.allocate(80), {
    ok: false,
    reason: 'out-of-range',
    detail: 'provided port is not in the valid range. The range of valid ports is 30000-32767',
  });
  p.release(30080);
  t.notOk(p.has(30080));
  t.same(p.restore([30001, 30002, 8080]), [8080]);
  t.equal(p.used(), 2);

  const tiny = new PortAllocator(40000, 2);
  t.match(tiny.allocate(), { ok: true });
  t.match(tiny.allocate(), { ok: true });
  t.same(tiny.allocate(), { ok: false, reason: 'full', detail: 'range is full' });
});

t.test('errors as the registry reports them', async (t) => {
  t.same(clusterIPError('10.96.0.10', { ok: false, reason: 'allocated', detail: 'provided IP is already allocated' }), {
    type: 'FieldValueInvalid',
    field: 'spec.clusterIPs',
    message: 'Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
  });
  t.same(clusterIPError(undefined, { ok: false, reason: 'full', detail: 'range is full' }), {
    internal: 'failed to allocate a serviceIP: range is full',
  });
  t.same(nodePortError(1, 30080, { ok: false, reason: 'allocated', detail: 'provided port is already allocated' }), {
    type: 'FieldValueInvalid',
    field: 'spec.ports[1].nodePort',
    message: 'Invalid value: 30080: provided port is already allocated',
  });
});
