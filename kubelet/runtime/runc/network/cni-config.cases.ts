import t from 'tap';
import type { PortMapping } from '../../../cri/api.js';
import { bridgeConfig, cidrContains, parsePodCIDR, podAddressFromResult, portmapConfig, toCniPortMappings, withPrevResult } from './cni-config.js';
import type { CniResult } from './cni-exec.js';

t.test('parsePodCIDR', async (t) => {
  const good: [string, string, string][] = [
    ['10.244.1.0/24', '10.244.1.0/24', '10.244.1.1'],
    ['10.250.7.0/24', '10.250.7.0/24', '10.250.7.1'],
    ['192.168.0.0/16', '192.168.0.0/16', '192.168.0.1'],
    ['10.0.0.0/8', '10.0.0.0/8', '10.0.0.1'],
    ['172.16.5.8/29', '172.16.5.8/29', '172.16.5.9'],
    [' 10.1.2.0/24 ', '10.1.2.0/24', '10.1.2.1'],
  ];
  for (const [input, subnet, gateway] of good) {
    const c = parsePodCIDR(input);
    t.same([c.subnet, c.gateway], [subnet, gateway], input);
  }
  const bad: [string, RegExp][] = [
    ['10.244.1.5/24', /host bits are set \(the network is 10\.244\.1\.0\/24\)/],
    ['10.244.1.0', /want an IPv4 network/],
    ['10.244.1.0/33', /prefix length/],
    ['10.244.1.0/30', /prefix length/],
    ['10.0.0.0/7', /prefix length/],
    ['10.244.256.0/24', /not an IPv4 address/],
    ['10.244.01.0/24', /not an IPv4 address/],
    ['fd00::/64', /want an IPv4 network/],
    ['', /want an IPv4 network/],
  ];
  for (const [input, re] of bad) t.throws(() => parsePodCIDR(input), re, JSON.stringify(input));
});

t.test('cidrContains', async (t) => {
  const c = parsePodCIDR('10.250.3.0/24');
  const cases: [string, boolean][] = [
    ['10.250.3.0', true],
    ['10.250.3.1', true],
    ['10.250.3.255', true],
    ['10.250.4.1', false],
    ['10.250.2.255', false],
    ['nonsense', false],
  ];
  for (const [ip, want] of cases) t.equal(cidrContains(c, ip), want, ip);
});

t.test('bridge config: gateway, no masquerade, hairpin, host-local in our data dir', async (t) => {
  const conf = bridgeConfig({ network: 'k8ts-abc123', bridge: 'k8tsabc123', cidr: parsePodCIDR('10.244.1.0/24'), ipamDataDir: '/state/ipam' });
  t.same(conf, {
    cniVersion: '1.0.0',
    name: 'k8ts-abc123',
    type: 'bridge',
    bridge: 'k8tsabc123',
    isGateway: true,
    ipMasq: false,
    hairpinMode: true,
    ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24', gateway: '10.244.1.1' }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: '/state/ipam' },
  });
  const prev: CniResult = { ips: [{ address: '10.244.1.2/24' }] };
  t.same(withPrevResult(conf, prev).prevResult, prev, 'prevResult added for DEL');
  t.equal(withPrevResult(conf, undefined), conf, 'no result: unchanged');
});

t.test('port mappings: CRI → portmap (lower-case protocol, hostIP only when set, no host port = not forwarded)', async (t) => {
  const cri: PortMapping[] = [
    { protocol: 'TCP', containerPort: 8080, hostPort: 18080, hostIp: '' },
    { protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '127.0.0.1' },
    { protocol: 'SCTP', containerPort: 9, hostPort: 9999, hostIp: '' },
    { protocol: 'TCP', containerPort: 80, hostPort: 0, hostIp: '' },
  ];
  const cni = toCniPortMappings(cri);
  t.same(cni, [
    { hostPort: 18080, containerPort: 8080, protocol: 'tcp' },
    { hostPort: 5353, containerPort: 53, protocol: 'udp', hostIP: '127.0.0.1' },
    { hostPort: 9999, containerPort: 9, protocol: 'sctp' },
  ]);
  t.same(portmapConfig('k8ts-x', cni), {
    cniVersion: '1.0.0',
    name: 'k8ts-x',
    type: 'portmap',
    capabilities: { portMappings: true },
    runtimeConfig: { portMappings: cni },
  });
});

t.test('pod address from the bridge result', async (t) => {
  const bridgeResult: CniResult = {
    interfaces: [{ name: 'k8tsabc' }, { name: 'veth1' }, { name: 'eth0', sandbox: '/netns/p' }],
    ips: [{ interface: 2, address: '10.244.1.2/24', gateway: '10.244.1.1' }],
  };
  const cases: { name: string; result: CniResult | undefined; want: { ip: string; gateway: string } | undefined }[] = [
    { name: 'the bridge plugin result', result: bridgeResult, want: { ip: '10.244.1.2', gateway: '10.244.1.1' } },
    {
      name: 'the entry on eth0 in the sandbox wins over an earlier one',
      result: { interfaces: [{ name: 'br' }, { name: 'eth0', sandbox: '/n' }], ips: [{ interface: 0, address: '10.0.0.1/24' }, { interface: 1, address: '10.0.0.7/24', gateway: '10.0.0.1' }] },
      want: { ip: '10.0.0.7', gateway: '10.0.0.1' },
    },
    { name: 'IPv6 ignored', result: { ips: [{ address: 'fd00::2/64' }, { address: '10.1.0.3/16' }] }, want: { ip: '10.1.0.3', gateway: '' } },
    { name: 'no ips', result: { ips: [] }, want: undefined },
    { name: 'no result', result: undefined, want: undefined },
  ];
  for (const c of cases) t.same(podAddressFromResult(c.result), c.want, c.name);
});
