/**
 * Pod CIDR conflicts: overlapping subnets, and which routes count as a conflict.
 */
import t from 'tap';
import { cidrsOverlap, conflictingRoute } from './pod-cidr-check.js';

t.test('cidrsOverlap', async (t) => {
  const cases: Array<[string, string, boolean]> = [
    ['10.244.0.0/24', '10.244.0.0/24', true],
    ['10.244.0.0/16', '10.244.3.0/24', true],
    ['10.244.3.0/24', '10.244.0.0/16', true],
    ['10.244.0.0/24', '10.244.1.0/24', false],
    ['10.244.0.7', '10.244.0.0/24', true],
    ['192.168.0.0/16', '10.244.0.0/16', false],
    ['nonsense', '10.0.0.0/8', false],
  ];
  for (const [a, b, want] of cases) t.equal(cidrsOverlap(a, b), want, `${a} ~ ${b}`);
});

t.test('conflictingRoute', async (t) => {
  const routes = [
    { dst: 'default', dev: 'eth0' },
    { dst: '10.244.0.0/24', dev: 'k8tsaaaaaa' },
    { dst: '172.16.0.0/12', dev: 'docker0' },
  ];
  t.equal(conflictingRoute(routes, '10.244.0.0/24', 'k8tsaaaaaa'), undefined, 'our own bridge is no conflict');
  t.same(conflictingRoute(routes, '10.244.0.0/24', 'k8tsbbbbbb'), { dst: '10.244.0.0/24', dev: 'k8tsaaaaaa' }, 'another cluster\'s bridge is');
  t.same(conflictingRoute(routes, '172.17.1.0/24', 'k8tsbbbbbb'), { dst: '172.16.0.0/12', dev: 'docker0' }, 'any device\'s overlapping route is');
  t.equal(conflictingRoute(routes, '10.99.0.0/24', 'k8tsbbbbbb'), undefined, 'the default route is not');
});
