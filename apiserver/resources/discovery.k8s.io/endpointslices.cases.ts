import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';
import { endpointSlices } from './endpointslices.js';

const slice = (extra: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' }, creationTimestamp: minutesAgo(30) },
  addressType: 'IPv4',
  ...extra,
});
const ep = (...addresses: unknown[]) => ({ addresses, conditions: { ready: true } });
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

t.test('definition', async (t) => {
  t.match(endpointSlices, { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', shortNames: [], namespaced: true, modelName: 'V1EndpointSlice' });
  t.same(
    endpointSlices.printerColumns?.map((c) => c.name),
    ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
  );
});

t.test('defaults', async (t) => {
  t.match(create(endpointSlices, slice({ ports: [{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] })).obj, {
    ports: [
      { name: '', port: 80, protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ],
    endpoints: null,
  });
  t.same(create(endpointSlices, slice({})).obj.ports, null, 'absent lists are null, as kube writes them');
});

t.test('validation', async (t) => {
  const many = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid IPv4', { endpoints: [ep('10.244.0.5'), { addresses: ['10.244.1.7'], nodeName: 'node-1', zone: 'a', hostname: 'web-0' }], ports: [{ name: 'http', port: 80, protocol: 'TCP', appProtocol: 'http' }] }, []],
    ['valid IPv6', { addressType: 'IPv6', endpoints: [ep('fd00::5')] }, []],
    ['valid FQDN', { addressType: 'FQDN', endpoints: [ep('example.com'), ep('db.internal.')] }, []],
    ['no addressType', { addressType: undefined }, ['addressType: Required value']],
    ['bad addressType', { addressType: 'IP' }, ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']],
    ['no addresses', { endpoints: [{ addresses: [] }] }, ['endpoints[0].addresses: Required value: must contain at least 1 address']],
    ['too many addresses', { endpoints: [ep(...many(101, (i) => `10.0.0.${(i % 250) + 1}`))] }, ['endpoints[0].addresses: Too many: 101: must have at most 100 items']],
    ['too many endpoints', { endpoints: many(1001, () => ep('10.0.0.1')) }, ['endpoints: Too many: 1001: must have at most 1000 items']],
    [
      'not IPv4',
      { endpoints: [ep('fd00::1')] },
      ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'],
    ],
    [
      'not an IP',
      { endpoints: [ep('web')] },
      ['endpoints[0].addresses[0]: Invalid value: "web": must be a valid IPv4 address', 'endpoints[0].addresses[0]: Invalid value: "web": must be a valid IP address'],
    ],
    ['loopback', { endpoints: [ep('127.0.0.1')] }, ['endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['unspecified', { endpoints: [ep('0.0.0.0')] }, ['endpoints[0].addresses[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']],
    ['link-local v6', { addressType: 'IPv6', endpoints: [ep('fe80::1')] }, ['endpoints[0].addresses[0]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)']],
    ['IPv4 in an IPv6 slice', { addressType: 'IPv6', endpoints: [ep('10.0.0.1')] }, ['endpoints[0].addresses[0]: Invalid value: "10.0.0.1": must be a valid IPv6 address']],
    ['one-label FQDN', { addressType: 'FQDN', endpoints: [ep('web')] }, ['endpoints[0].addresses[0]: Invalid value: "web": should be a domain with at least two segments separated by dots']],
    ['bad FQDN', { addressType: 'FQDN', endpoints: [ep('Web.example.com')] }, [`endpoints[0].addresses[0]: Invalid value: "Web.example.com": ${SUBDOMAIN}`]],
    ['node name', { endpoints: [{ addresses: ['10.0.0.1'], nodeName: 'Node_1' }] }, [`endpoints[0].nodeName: Invalid value: "Node_1": ${SUBDOMAIN}`]],
    ['hostname', { endpoints: [{ addresses: ['10.0.0.1'], hostname: 'a.b' }] }, [`endpoints[0].hostname: Invalid value: "a.b": ${LABEL}`]],
    ['condition type', { endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: 'yes' } }] }, ['endpoints[0].conditions.ready: Invalid value: "yes": must be a boolean']],
    [
      'zone hints',
      { endpoints: [{ addresses: ['10.0.0.1'], hints: { forZones: [{ name: 'a' }, { name: 'a' }] } }] },
      ['endpoints[0].hints.forZones[1].name: Duplicate value: "a"'],
    ],
    ['port name', { ports: [{ name: 'HTTP', port: 80 }] }, [`ports[0].name: Invalid value: "HTTP": ${LABEL}`]],
    ['duplicate port names', { ports: [{ port: 80 }, { port: 81 }] }, ['ports[1].name: Duplicate value: ""']],
    ['protocol', { ports: [{ name: 'a', port: 80, protocol: 'HTTP' }] }, ['ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    ['port type', { ports: [{ name: 'a', port: '80' }] }, ['ports[0].port: Invalid value: "80": must be an integer']],
    ['unset port means all ports', { ports: [{ name: 'all' }] }, []],
    [
      'appProtocol',
      { ports: [{ name: 'a', port: 80, appProtocol: 'a/b/c' }] },
      [
        "ports[0].appProtocol: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    ],
    ['too many ports', { ports: many(20001, (i) => ({ name: `p${i}`, port: 1 })) }, ['ports: Too many: 20001: must have at most 20000 items']],
  ];
  for (const [name, extra, want] of cases) t.same(create(endpointSlices, slice(extra)).errors, want, name);
});

t.test('addressType is immutable', async (t) => {
  const old = stored(endpointSlices, slice({ endpoints: [ep('10.0.0.1')] }));
  t.same(update(endpointSlices, { ...old, endpoints: [ep('10.0.0.2')] }, old).errors, []);
  t.same(update(endpointSlices, { ...old, addressType: 'FQDN', endpoints: [ep('a.example.com')] }, old).errors, ['addressType: Invalid value: "FQDN": field is immutable']);
});

t.test('printer cells', async (t) => {
  const row = (extra: Record<string, unknown>) => cells(endpointSlices, stored(endpointSlices, slice(extra)));
  t.same(row({ ports: [{ name: 'http', port: 80 }], endpoints: [ep('10.0.0.1'), ep('10.0.0.2')] }), ['web-abc12', 'IPv4', '80', '10.0.0.1,10.0.0.2', '30m']);
  t.same(row({}), ['web-abc12', 'IPv4', '<unset>', '<unset>', '30m']);
  t.same(row({ ports: [{ name: 'all' }] }), ['web-abc12', 'IPv4', 'all', '<unset>', '30m']);
  t.same(row({ ports: [{}] }), ['web-abc12', 'IPv4', '<unset>', '<unset>', '30m'], 'an unnamed port of no number prints as nothing');
  t.same(
    row({
      ports: [1, 2, 3, 4, 5].map((p) => ({ name: `p${p}`, port: p })),
      endpoints: [ep('10.0.0.1', '10.0.0.2'), ep('10.0.0.3', '10.0.0.4'), ep('10.0.0.5')],
    }),
    ['web-abc12', 'IPv4', '1,2,3 + 2 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '30m'],
  );
});
