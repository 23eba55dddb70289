import t from 'tap';
import { cidrsOverlap, formatIpv4, parseIpv4, parseIpv4Cidr, subnetCount, type Ipv4Cidr } from './cidr.js';

const must = (text: string): Ipv4Cidr => {
  const r = parseIpv4Cidr(text);
  if (!r.ok) throw new Error(`bad test CIDR ${text}`);
  return r.cidr;
};

t.test('parseIpv4 / formatIpv4 round trip', async (t) => {
  for (const ip of ['0.0.0.0', '10.244.0.0', '255.255.255.255', '192.168.1.1']) {
    t.equal(formatIpv4(parseIpv4(ip) ?? -1), ip, ip);
  }
  for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', 'a.b.c.d', '1.2.3.-4', '::1']) {
    t.equal(parseIpv4(bad), undefined, JSON.stringify(bad));
  }
});

t.test('parseIpv4Cidr', async (t) => {
  const cases: Array<[string, string | { reason: string; suggestion?: string }]> = [
    ['10.244.0.0/16', '10.244.0.0/16'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['10.0.0.1/32', '10.0.0.1/32'],
    ['10.244.1.0/16', { reason: 'host-bits', suggestion: '10.244.0.0/16' }],
    ['10.244.0.0', { reason: 'syntax' }],
    ['10.244.0.0/33', { reason: 'syntax' }],
    ['10.244.0.0/016', { reason: 'syntax' }],
    ['10.244.0.0/', { reason: 'syntax' }],
    ['fd00::/64', { reason: 'syntax' }],
  ];
  for (const [input, want] of cases) {
    const got = parseIpv4Cidr(input);
    if (typeof want === 'string') t.same(got.ok && got.cidr.text, want, input);
    else t.match(got, { ok: false, ...want }, input);
  }
});

t.test('cidrsOverlap and subnetCount', async (t) => {
  t.ok(cidrsOverlap(must('10.96.0.0/12'), must('10.100.0.0/16')));
  t.ok(cidrsOverlap(must('10.100.0.0/16'), must('10.96.0.0/12')));
  t.notOk(cidrsOverlap(must('10.244.0.0/16'), must('10.96.0.0/12')));
  t.notOk(cidrsOverlap(must('10.0.0.0/24'), must('10.0.1.0/24')));
  t.equal(subnetCount(must('10.244.0.0/16'), 24), 256);
  t.equal(subnetCount(must('10.244.0.0/24'), 24), 1);
  t.equal(subnetCount(must('10.0.0.0/8'), 24), 65536);
  t.equal(subnetCount(must('10.0.0.0/25'), 24), 0);
});
