import t from 'tap';
import { openStore } from '../store/index.js';
import { firstServiceIP } from './bootstrap.js';
import { buildApiServer } from './build-api-server.js';
import { builtinCatalogue } from './resources/index.js';
import { apiHandle } from './routes/register-api.js';

t.test('firstServiceIP', async (t) => {
  const cases: Array<[string, string]> = [
    ['10.96.0.0/12', '10.96.0.1'],
    ['10.100.7.0/24', '10.100.7.1'],
    ['192.168.0.16/28', '192.168.0.17'],
  ];
  for (const [cidr, want] of cases) t.equal(firstServiceIP(cidr), want, cidr);
});

t.test('the kubernetes Service follows the API server port across restarts', async (t) => {
  const store = await openStore({ backend: 'memory', compactionWindowMs: 0, leaseCheckIntervalMs: 0 });
  t.teardown(() => store.close());
  const cluster = { serviceCIDR: '10.96.0.0/12', podCIDR: '10.244.0.0/16' };
  for (const port of [6443, 7443]) {
    // a fresh API server over the same store, as after a restart on another port
    const app = buildApiServer({ store, api: { catalogue: builtinCatalogue(), cluster } });
    await app.ready();
    await apiHandle(app)!.publishEndpoint({ address: '127.0.0.1', port });
    const r = await app.inject({ method: 'GET', url: '/api/v1/namespaces/default/services/kubernetes' });
    const svc = JSON.parse(r.body);
    t.match(svc.spec, { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }] }, `port ${port}`);
    await app.close();
  }
});
