/**
 * V1Probe → ProbeAction: defaults, named ports, grpc as TCP, and clear errors.
 */
import t from 'tap';
import type { V1Container, V1Pod, V1Probe } from '@kubernetes/client-node';
import { probeActionOf } from './probe-action.js';

const container: V1Container = { name: 'web', image: 'web:1', ports: [{ name: 'http', containerPort: 8080 }, { name: 'grpc', containerPort: 9090 }] };
const pod: V1Pod = { metadata: { name: 'p', uid: 'u' }, spec: { containers: [container] }, status: { podIP: '10.0.0.5' } };

t.test('actions', async (t) => {
  const rows: Array<[string, V1Probe, unknown]> = [
    ['exec', { exec: { command: ['cat', '/tmp/ok'] } }, { exec: { command: ['cat', '/tmp/ok'] } }],
    [
      'httpGet with defaults and a named port',
      { httpGet: { port: 'http' } },
      { httpGet: { host: '10.0.0.5', port: 8080, path: '/', scheme: 'HTTP', httpHeaders: [] } },
    ],
    [
      'httpGet with everything given',
      { httpGet: { host: '127.0.0.1', port: 443, path: '/healthz', scheme: 'HTTPS', httpHeaders: [{ name: 'X-A', value: '1' }] } },
      { httpGet: { host: '127.0.0.1', port: 443, path: '/healthz', scheme: 'HTTPS', httpHeaders: [{ name: 'X-A', value: '1' }] } },
    ],
    ['a number written as a string', { tcpSocket: { port: '8081' } }, { tcpSocket: { host: '10.0.0.5', port: 8081 } }],
    ['tcpSocket with a named port', { tcpSocket: { port: 'grpc', host: 'h' } }, { tcpSocket: { host: 'h', port: 9090 } }],
    ['grpc becomes a TCP connect', { grpc: { port: 9090 } }, { tcpSocket: { host: '10.0.0.5', port: 9090 } }],
  ];
  for (const [name, probe, want] of rows) t.same(probeActionOf(probe, pod, container), want, name);
});

t.test('no pod IP yet: empty host (the runtime knows the pod IP)', async (t) => {
  t.same(probeActionOf({ tcpSocket: { port: 80 } }, { ...pod, status: {} }, container), { tcpSocket: { host: '', port: 80 } });
});

t.test('errors', async (t) => {
  const rows: Array<[string, V1Probe, RegExp]> = [
    ['unknown named port', { httpGet: { port: 'metrics' } }, /port "metrics" is not a named port of container "web"/],
    ['out of range', { tcpSocket: { port: 70000 } }, /out of range/],
    ['no handler', {}, /no handler/],
    ['bad scheme', { httpGet: { port: 80, scheme: 'FTP' } }, /unsupported httpGet scheme/],
  ];
  for (const [name, probe, want] of rows) t.throws(() => probeActionOf(probe, pod, container), want, name);
});
