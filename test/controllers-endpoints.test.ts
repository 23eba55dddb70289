/**
 * The Endpoints and EndpointSlice controllers end to end with the real kubectl, on a
 * one-node simulated cluster: a Service with a named targetPort gets an Endpoints object
 * and EndpointSlices listing its pods with the port resolved; a not-ready pod (on a node
 * without a kubelet, its status patched as admin) is published as not ready; a deleted
 * pod leaves; once converged nothing is rewritten. The API server publishes its own
 * address in the `kubernetes` Endpoints and EndpointSlice, and its loop re-creates them.
 */
import t from 'tap';
import { resolveAdvertiseAddress } from '../apiserver/advertise-address.js';
import { ensureKubernetesService, stopKubernetesService } from '../apiserver/bootstrap.js';
import { GenericRegistry } from '../apiserver/registry/generic-registry.js';
import { builtinCatalogue } from '../apiserver/resources/index.js';
import { openStore } from '../store/index.js';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { jsonOf, sleep, until } from './helpers/poll.js';

const VERSION = '1.33';

const manifest = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', labels: { team: 'blue' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
    },
    ...['web-1', 'web-2'].map((name) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'web' } },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }] },
    })),
    // a node no kubelet runs: its pod's status is whatever we patch
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost', labels: { 'topology.kubernetes.io/zone': 'zone-x' } } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-3', labels: { app: 'web' } },
      spec: { nodeName: 'ghost', terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 9090 }] }] },
    },
  ],
});

const slicesOf = async (e: E2e) => ((await jsonOf(e, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=svc']))?.items ?? []) as any[];
const sliceEndpoints = (slices: any[]) => slices.flatMap((s) => (s.endpoints ?? []).map((ep: any) => ({ ...ep, port: s.ports?.[0]?.port })));
const podIP = async (e: E2e, name: string) => (await until(() => jsonOf(e, ['get', 'pod', name]), (p) => Boolean(p?.status?.podIP)))?.status?.podIP as string;

t.test('Endpoints and EndpointSlices follow the pods of a Service', { skip: !hasKubectl(VERSION) && 'no kubectl' }, async (t) => {
  const e = await e2eCluster(t, VERSION, {
    nodes: 1,
    runtime: 'simulated',
    kubelet: { leaseRenewIntervalMs: 500, nodeStatusUpdateFrequencyMs: 500, plegRelistIntervalMs: 100, podResyncIntervalMs: 2_000 },
    scheduler: {},
    controllers: { leaderElection: false, only: ['endpoint', 'endpointslice'], endpointSlice: { sliceChangeMinSyncDelayMs: 100, syncBackoffBaseMs: 100 } },
  });
  await e.ok(['apply', '-f', '-'], manifest);
  const [ip1, ip2] = [await podIP(e, 'web-1'), await podIP(e, 'web-2')];
  await e.ok(['patch', 'pod', 'web-3', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Running', podIP: '10.244.99.3', podIPs: [{ ip: '10.244.99.3' }], conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] } })]);

  // the slices: ready pods with the named port resolved, the ghost's pod not ready, with its zone
  const ready = (eps: any[], ip: string) => eps.some((ep) => ep.addresses[0] === ip && ep.conditions.ready === true);
  const slices = await until(
    () => slicesOf(e),
    (s) => ready(sliceEndpoints(s), ip1) && ready(sliceEndpoints(s), ip2) && sliceEndpoints(s).some((ep) => ep.addresses[0] === '10.244.99.3'),
  );
  const eps = sliceEndpoints(slices);
  t.match(
    eps.find((ep) => ep.addresses[0] === ip1),
    { conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', name: 'web-1' }, nodeName: 'k8ts-node-1', port: 8080 },
    'a ready pod: ready, its port resolved from the container port name',
  );
  t.match(eps.find((ep) => ep.addresses[0] === '10.244.99.3'), { conditions: { ready: false, serving: false, terminating: false }, zone: 'zone-x', nodeName: 'ghost', port: 9090 }, 'a not-ready pod');
  t.equal(slices.length, 2, 'one slice per port mapping (8080, 9090)');
  t.match(slices[0].metadata, {
    generateName: 'svc-',
    labels: { 'kubernetes.io/service-name': 'svc', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', team: 'blue' },
    ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'svc', controller: true, blockOwnerDeletion: true }],
  });

  // the Endpoints: the same, grouped by port
  const endpoints = await until(
    () => jsonOf(e, ['get', 'endpoints', 'svc']),
    (ep) => (ep?.subsets ?? []).flatMap((s: any) => s.addresses ?? []).length === 2 && (ep?.subsets ?? []).some((s: any) => s.notReadyAddresses),
  );
  const byPort = Object.fromEntries((endpoints?.subsets ?? []).map((s: any) => [s.ports[0].port, s]));
  t.same((byPort[8080]?.addresses ?? []).map((a: any) => a.ip).sort(), [ip1, ip2].sort(), 'ready pods on 8080');
  t.same((byPort[9090]?.notReadyAddresses ?? []).map((a: any) => a.ip), ['10.244.99.3'], 'the not-ready pod on 9090');
  t.match(endpoints?.metadata?.labels, { team: 'blue', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' }, "the Service's labels, and kube 1.33's managed-by");
  t.ok(endpoints?.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], 'trigger time annotation');
  t.match(await e.ok(['get', 'endpoints', 'svc']), /:8080/);

  // steady state: nothing is rewritten
  const versions = async () => ((await jsonOf(e, ['get', 'endpoints,endpointslices']))?.items ?? []).map((o: any) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
  const before = await versions();
  await sleep(1500);
  t.same(await versions(), before, 'converged: no writes');

  // a deleted pod leaves both
  await e.ok(['delete', 'pod', 'web-1', '--wait=false']);
  await until(() => slicesOf(e), (s) => !sliceEndpoints(s).some((ep) => ep.addresses[0] === ip1));
  t.notOk(sliceEndpoints(await slicesOf(e)).some((ep) => ep.addresses[0] === ip1 && ep.conditions.ready), 'web-1 left the slices');
  const after = await until(() => jsonOf(e, ['get', 'endpoints', 'svc']), (ep) => !JSON.stringify(ep?.subsets ?? []).includes(`"${ip1}"`));
  t.notOk(JSON.stringify(after?.subsets ?? []).includes(`"${ip1}"`), 'web-1 left the Endpoints');

  // the Service goes: its Endpoints and slices too
  await e.ok(['delete', 'service', 'svc']);
  await until(() => e.kubectl(['get', 'endpoints', 'svc']), (r) => r.code !== 0);
  t.match(await e.fails(['get', 'endpoints', 'svc']), /NotFound|not found/);
  t.same(await until(() => slicesOf(e), (s) => s.length === 0), [], 'slices deleted');

  // the API server's own endpoints
  const advertised = resolveAdvertiseAddress('127.0.0.1');
  const port = Number(new URL(e.cluster.url).port);
  if (advertised) {
    const k = await jsonOf(e, ['get', 'endpoints', 'kubernetes']);
    t.match(k, { metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip: advertised }], ports: [{ name: 'https', port, protocol: 'TCP' }] }] });
    const slice = await jsonOf(e, ['get', 'endpointslice', 'kubernetes']);
    t.match(slice, { addressType: 'IPv4', metadata: { labels: { 'kubernetes.io/service-name': 'kubernetes' } }, endpoints: [{ addresses: [advertised], conditions: { ready: true } }], ports: [{ name: 'https', port }] });
    t.notOk(slice?.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'written by the API server, not the controller');
  }
});

t.test("the API server's loop keeps its endpoints, and stops", async (t) => {
  const store = await openStore({ backend: 'memory', compactionWindowMs: 0, leaseCheckIntervalMs: 0 });
  t.teardown(() => store.close());
  const cluster = { serviceCIDR: '10.96.0.0/12', podCIDR: '10.244.0.0/16' };
  const catalogue = builtinCatalogue();
  const registry = new GenericRegistry(store, cluster, catalogue);
  const ctx = { namespace: '', user: { name: 'system:apiserver', groups: ['system:masters'] }, now: new Date(), dryRun: false, cluster };
  await registry.create(catalogue.resource('', 'v1', 'namespaces')!, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, ctx);
  const endpointsDef = catalogue.resource('', 'v1', 'endpoints')!;
  const slicesDef = catalogue.resource('discovery.k8s.io', 'v1', 'endpointslices')!;
  const exists = (def: typeof endpointsDef) => registry.get(def, 'default', 'kubernetes').then(() => true, () => false);

  await ensureKubernetesService(registry, catalogue, ctx, { address: '192.0.2.10', port: 6443 }, { intervalMs: 30 });
  t.teardown(() => stopKubernetesService(registry));
  const ep = await registry.get(endpointsDef, 'default', 'kubernetes');
  t.match(ep, { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'https', port: 6443 }] }] });
  t.match(await registry.get(slicesDef, 'default', 'kubernetes'), { endpoints: [{ addresses: ['192.0.2.10'] }] });

  await sleep(150);
  t.equal((await registry.get(endpointsDef, 'default', 'kubernetes')).metadata.resourceVersion, ep.metadata.resourceVersion, 'converged: the loop writes nothing');

  await registry.delete(endpointsDef, 'default', 'kubernetes', ctx);
  await registry.delete(slicesDef, 'default', 'kubernetes', ctx);
  await until(async () => (await exists(endpointsDef)) && (await exists(slicesDef)), Boolean, 2000);
  t.ok(await exists(endpointsDef), 'the Endpoints are re-created');
  t.ok(await exists(slicesDef), 'the EndpointSlice is re-created');

  stopKubernetesService(registry);
  await registry.delete(endpointsDef, 'default', 'kubernetes', ctx);
  await sleep(150);
  t.notOk(await exists(endpointsDef), 'stopped: no longer re-created');
});

t.test('the advertise address: a real bind address is kept, loopback becomes the host address', async (t) => {
  const ifaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth1: [{ address: '10.1.0.5', family: 'IPv4', internal: false }],
    eth0: [
      { address: '169.254.3.3', family: 'IPv4', internal: false },
      { address: '192.0.2.2', family: 'IPv4', internal: false },
    ],
  } as never;
  const routes = 'Iface\tDestination\tGateway\neth0\t00000000\t010200C0\neth0\t000200C0\t00000000\n';
  t.equal(resolveAdvertiseAddress('192.0.2.77', ifaces, routes), '192.0.2.77');
  t.equal(resolveAdvertiseAddress('127.0.0.1', ifaces, routes), '192.0.2.2', "the default route's interface");
  t.equal(resolveAdvertiseAddress('0.0.0.0', ifaces, ''), '10.1.0.5', 'without a default route: the first global IPv4');
  t.equal(resolveAdvertiseAddress('127.0.0.1', { lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }] } as never, ''), undefined, 'no host address');
});
