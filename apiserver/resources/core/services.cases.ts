import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { services } from './services.js';
import { cells, create, minutesAgo, stored, update } from './strategy-harness.js';

const svc = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}, name = 'web'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', creationTimestamp: minutesAgo(5) },
  spec,
  ...extra,
});

t.test('definition', async (t) => {
  t.match(services, { group: '', version: 'v1', kind: 'Service', plural: 'services', shortNames: ['svc'], namespaced: true, categories: ['all'], modelName: 'V1Service' });
  t.notOk(services.verbs.includes('deletecollection'));
  t.same(services.subresources.map((s) => s.name), ['status', 'proxy']);
  t.same(services.printerColumns!.map((c) => c.name), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
});

t.test('defaults', async (t) => {
  const { obj, errors } = create(services, svc({ ports: [{ port: 80 }], selector: { app: 'web' } }));
  t.same(errors, []);
  t.same(obj.spec, {
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    selector: { app: 'web' },
    type: 'ClusterIP',
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  t.same(obj.status, { loadBalancer: {} });

  const lb = create(services, svc({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https' }], sessionAffinity: 'ClientIP' })).obj;
  t.match(lb.spec, {
    externalTrafficPolicy: 'Cluster',
    allocateLoadBalancerNodePorts: true,
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    ports: [{ targetPort: 'https' }],
  });
  const ext = create(services, svc({ type: 'ExternalName', externalName: 'db.example.com' })).obj;
  t.same(ext.spec, { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' });
  const fixed = create(services, svc({ clusterIP: '10.96.0.10', ports: [{ port: 53, protocol: 'UDP' }] })).obj;
  t.same((fixed.spec as { clusterIPs: string[] }).clusterIPs, ['10.96.0.10']);
});

t.test('validation', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid ClusterIP', svc({ ports: [{ port: 80 }] }), []],
    ['valid headless without ports', svc({ clusterIP: 'None', selector: { app: 'x' } }), []],
    ['valid ExternalName', svc({ type: 'ExternalName', externalName: 'db.example.com.' }), []],
    ['valid NodePort', svc({ type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'https', port: 443 }] }), []],
    ['ports required', svc({}), ['spec.ports: Required value']],
    [
      'port range',
      svc({ ports: [{ port: 70000 }] }),
      ['spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ],
    ['names required with several ports', svc({ ports: [{ port: 80 }, { port: 443 }] }), ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    ['names unique', svc({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }), ['spec.ports[1].name: Duplicate value: "a"']],
    [
      'type enum',
      svc({ type: 'Foo', ports: [{ port: 80 }] }),
      ['spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ],
    [
      'protocol enum',
      svc({ ports: [{ port: 80, protocol: 'HTTP' }] }),
      ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    ['nodePort on ClusterIP', svc({ ports: [{ port: 80, nodePort: 30080 }] }), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['ExternalName needs a name', svc({ type: 'ExternalName' }), ['spec.externalName: Required value']],
    [
      'bad cluster IP',
      svc({ clusterIP: '10.96.0.300', ports: [{ port: 80 }] }),
      ['spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    ],
    [
      'name is a DNS-1035 label',
      svc({ ports: [{ port: 80 }] }, {}, '1web'),
      [
        `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      'externalTrafficPolicy only for external services',
      svc({ ports: [{ port: 80 }], externalTrafficPolicy: 'Local' }),
      ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
    ],
    [
      'bad target port name',
      svc({ ports: [{ port: 80, targetPort: 'HTTP' }] }),
      ['spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)'],
    ],
  ];
  for (const [name, obj, want] of cases) t.same(create(services, obj).errors, want, name);
});

t.test('update: cluster IP fixed, allocated values kept', async (t) => {
  const old = stored(services, svc({ type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] }));
  // a manifest without clusterIP / nodePort keeps the allocated ones
  const replaced = update(services, svc({ type: 'NodePort', ports: [{ port: 80 }] }), old);
  t.same(replaced.errors, []);
  t.match(replaced.obj.spec, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, nodePort: 30080 }] });

  const changed = update(services, svc({ type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ port: 80 }] }), old);
  t.same(changed.errors, ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);

  const toHeadless = update(services, svc({ clusterIP: 'None', ports: [{ port: 80 }] }), old);
  t.same(toHeadless.errors, ['spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set']);

  const toExternal = update(services, svc({ type: 'ExternalName', externalName: 'x.example.com' }), old);
  t.same(toExternal.errors, [], 'switching to ExternalName drops the IP');
});

t.test('printer cells', async (t) => {
  const now = new Date(Date.parse(minutesAgo(0)));
  const cases: Array<[string, KubeObject, unknown[]]> = [
    [
      'ClusterIP',
      stored(services, svc({ clusterIP: '10.96.0.10', ports: [{ port: 80 }, { port: 53, protocol: 'UDP', name: 'dns' }].map((p, i) => ({ name: `p${i}`, ...p })), selector: { b: '2', a: '1' } })),
      ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,53/UDP', '5m', 'a=1,b=2'],
    ],
    [
      'NodePort with external IPs',
      stored(services, svc({ type: 'NodePort', clusterIP: '10.96.0.11', externalIPs: ['1.2.3.4'], ports: [{ port: 80, nodePort: 30080 }] })),
      ['web', 'NodePort', '10.96.0.11', '1.2.3.4', '80:30080/TCP', '5m', '<none>'],
    ],
    ['LoadBalancer pending', stored(services, svc({ type: 'LoadBalancer', clusterIP: '10.96.0.12', ports: [{ port: 80, nodePort: 31000 }] })), ['web', 'LoadBalancer', '10.96.0.12', '<pending>', '80:31000/TCP', '5m', '<none>']],
    [
      'LoadBalancer with ingress',
      { ...stored(services, svc({ type: 'LoadBalancer', clusterIP: '10.96.0.12', ports: [{ port: 80, nodePort: 31000 }] })), status: { loadBalancer: { ingress: [{ ip: '192.168.1.10' }] } } },
      ['web', 'LoadBalancer', '10.96.0.12', '192.168.1.10', '80:31000/TCP', '5m', '<none>'],
    ],
    ['ExternalName', stored(services, svc({ type: 'ExternalName', externalName: 'db.example.com' })), ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '5m', '<none>']],
    ['headless', stored(services, svc({ clusterIP: 'None', ports: [{ port: 80 }] })), ['web', 'ClusterIP', 'None', '<none>', '80/TCP', '5m', '<none>']],
  ];
  for (const [name, obj, want] of cases) t.same(cells(services, obj, now), want, name);
  t.equal(services.selectableFields!['spec.type']!(stored(services, svc({ ports: [{ port: 80 }] }))), 'ClusterIP');
});

t.test('update: changing type drops what only the old type used', async (t) => {
  const nodePort = stored(services, svc({ type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] }));
  // `kubectl apply` merges: the old nodePort and externalTrafficPolicy ride along unchanged
  const toClusterIP = update(services, { ...nodePort, spec: { ...(nodePort.spec as object), type: 'ClusterIP' } }, nodePort);
  t.same(toClusterIP.errors, []);
  t.same((toClusterIP.obj.spec as { ports: unknown[] }).ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  t.notOk('externalTrafficPolicy' in (toClusterIP.obj.spec as object));

  // changing the node port while switching to ClusterIP is the client's mistake
  const both = update(services, { ...nodePort, spec: { ...(nodePort.spec as object), type: 'ClusterIP', ports: [{ port: 80, nodePort: 30081 }] } }, nodePort);
  t.same(both.errors, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"], 'a changed nodePort is kept, and rejected');

  const toExternal = update(services, { ...nodePort, spec: { ...(nodePort.spec as object), type: 'ExternalName', externalName: 'x.example.com', ports: [] } }, nodePort);
  t.same(toExternal.errors, []);
  t.notOk('clusterIP' in (toExternal.obj.spec as object));
  t.notOk('ipFamilies' in (toExternal.obj.spec as object));
});
