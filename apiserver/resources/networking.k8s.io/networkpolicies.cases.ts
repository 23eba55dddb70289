import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo } from '../core/strategy-harness.js';
import { cidrContains, parseCIDR } from './cidr.js';
import { networkpolicies } from './networkpolicies.js';

const np = (spec: unknown): KubeObject => ({ metadata: { name: 'deny-all', namespace: 'default', creationTimestamp: minutesAgo(10) }, spec });

t.test('definition', async (t) => {
  t.match(networkpolicies, { group: 'networking.k8s.io', kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'], namespaced: true, modelName: 'V1NetworkPolicy' });
});

t.test('defaults', async (t) => {
  t.same(create(networkpolicies, np({ podSelector: {} })).obj.spec, { podSelector: {}, policyTypes: ['Ingress'] });
  const { obj } = create(networkpolicies, np({ podSelector: {}, egress: [{ ports: [{ port: 53 }, { port: 53, protocol: 'UDP' }] }] }));
  t.same(obj.spec, { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }], policyTypes: ['Ingress', 'Egress'] });
  t.same(create(networkpolicies, np({ podSelector: {}, egress: [{}], policyTypes: ['Egress'] })).obj.spec, { podSelector: {}, egress: [{}], policyTypes: ['Egress'] });
});

t.test('validation', async (t) => {
  const cases: Array<[string, unknown, string[]]> = [
    ['deny all', { podSelector: {} }, []],
    [
      'full',
      {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } }, namespaceSelector: {} }, { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }], ports: [{ port: 5432, endPort: 5440 }] }],
        egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }], ports: [{ port: 'dns', protocol: 'UDP' }] }],
      },
      [],
    ],
    ['bad selector', { podSelector: { matchLabels: { 'a b': 'x' } } }, ["spec.podSelector.matchLabels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]],
    ['policy type', { podSelector: {}, policyTypes: ['Both'] }, ['spec.policyTypes[0]: Unsupported value: "Both": supported values: "Ingress", "Egress"']],
    ['too many policy types', { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }, ['spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes']],
    ['protocol', { podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] }, ['spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"']],
    ['port', { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] }, ['spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['end port below port', { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 79 }] }] }, ['spec.ingress[0].ports[0].endPort: Invalid value: 79: must be greater than or equal to `port`']],
    ['end port with named port', { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }, ['spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric']],
    ['end port alone', { podSelector: {}, egress: [{ ports: [{ endPort: 90 }] }] }, ['spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified']],
    ['empty peer', { podSelector: {}, ingress: [{ from: [{}] }] }, ['spec.ingress[0].from[0]: Required value: must specify a peer']],
    ['ipBlock and selector', { podSelector: {}, egress: [{ to: [{ podSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } }] }] }, ['spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer']],
    ['no cidr', { podSelector: {}, egress: [{ to: [{ ipBlock: {} }] }] }, ['spec.egress[0].to[0].ipBlock.cidr: Required value']],
    ['bad cidr', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] }, ['spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['except outside', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.0.0/16', 'x'] } }] }] }, [
      'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
      'spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
      'spec.egress[0].to[0].ipBlock.except[2]: Invalid value: "x": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]],
  ];
  for (const [name, spec, want] of cases) t.same(create(networkpolicies, np(spec)).errors, want, name);
});

t.test('cidr containment', async (t) => {
  const within = (a: string, b: string) => cidrContains(parseCIDR(a)!, parseCIDR(b)!);
  t.ok(within('10.0.0.0/8', '10.200.0.0/16'));
  t.notOk(within('10.0.0.0/8', '11.0.0.0/16'));
  t.notOk(within('10.0.0.0/8', '2001:db8::/64'));
  t.ok(within('2001:db8::/32', '2001:db8:ffff::/48'));
  t.ok(within('::ffff:0.0.0.0/96', '::ffff:10.0.0.0/104'));
  t.notOk(within('2001:db8::/32', '2001:db9::/48'));
  t.equal(parseCIDR('10.1.2.3/8')?.network, 10n << 24n, 'host bits cleared');
  t.equal(parseCIDR('10.0.0.0'), undefined);
});

t.test('printer cells', async (t) => {
  t.same(cells(networkpolicies, np({ podSelector: {} })), ['deny-all', '<none>', '10m']);
  t.same(cells(networkpolicies, np({ podSelector: { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] } }))[1], 'app=db,tier in (a,b)');
});
