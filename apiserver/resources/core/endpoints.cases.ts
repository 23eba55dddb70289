import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { endpoints } from './endpoints.js';
import { cells, create, minutesAgo } from './strategy-harness.js';

const ep = (subsets: unknown[] | undefined): KubeObject => ({
  metadata: { name: 'web', namespace: 'default', creationTimestamp: minutesAgo(90) },
  ...(subsets ? { subsets } : {}),
});

t.test('definition', async (t) => {
  t.match(endpoints, { kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', shortNames: ['ep'], categories: [], modelName: 'V1Endpoints' });
  t.ok(endpoints.verbs.includes('deletecollection'));
});

t.test('defaults and validation', async (t) => {
  const { obj } = create(endpoints, ep([{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80 }] }]));
  t.same(obj.subsets, [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80, protocol: 'TCP' }] }]);

  const cases: Array<[string, KubeObject, string[]]> = [
    ['no subsets', ep(undefined), []],
    ['valid', ep([{ addresses: [{ ip: '10.244.0.5', hostname: 'web-0' }], notReadyAddresses: [{ ip: 'fd00::5' }], ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] }]), []],
    ['bad ip', ep([{ addresses: [{ ip: '10.0.0.256' }] }]), ['subsets[0].addresses[0].ip: Invalid value: "10.0.0.256": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['loopback', ep([{ addresses: [{ ip: '127.0.0.1' }] }]), ['subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['link-local', ep([{ addresses: [{ ip: '169.254.1.1' }] }]), ['subsets[0].addresses[0].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)']],
    ['port names', ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { port: 81 }] }]), ['subsets[0].ports[0].name: Required value', 'subsets[0].ports[1].name: Required value']],
    ['port range', ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 0 }] }]), ['subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    [
      'protocol',
      ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'tcp' }] }]),
      ['subsets[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'],
    ],
    ['empty subset', ep([{ ports: [{ port: 80 }] }]), ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']],
  ];
  for (const [name, input, want] of cases) t.same(create(endpoints, input).errors, want, name);
});

t.test('printer cells', async (t) => {
  const addrs = (n: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.0.0.${i + 1}` }));
  const cases: Array<[string, KubeObject, unknown[]]> = [
    ['none', ep(undefined), ['web', '<none>', '90m']],
    ['one', ep([{ addresses: addrs(1), ports: [{ port: 80 }] }]), ['web', '10.0.0.1:80', '90m']],
    ['three', ep([{ addresses: addrs(3), ports: [{ port: 80 }] }]), ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80', '90m']],
    ['more', ep([{ addresses: addrs(5), ports: [{ port: 80 }] }]), ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...', '90m']],
    ['two ports', ep([{ addresses: addrs(2), ports: [{ name: 'a', port: 80 }, { name: 'b', port: 443 }] }]), ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...', '90m']],
    ['no ports', ep([{ addresses: addrs(2) }]), ['web', '10.0.0.1,10.0.0.2', '90m']],
    ['ipv6', ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }]), ['web', '[fd00::1]:80', '90m']],
    ['not ready only', ep([{ notReadyAddresses: addrs(1), ports: [{ port: 80 }] }]), ['web', '<none>', '90m']],
  ];
  for (const [name, obj, want] of cases) t.same(cells(endpoints, obj), want, name);
});
