import t from 'tap';
import { startCluster } from '../../cli/start-cluster.js';
import { ApiClient } from '../api/client.js';
import { NAMESPACE, nodeBody, nodeName, podBody, podName, withReadyStatus } from './cluster-objects.js';

t.test('the API server takes the bench objects: a Ready node with allocatable, an unscheduled pod', async (t) => {
  const cluster = await startCluster({ dataDir: t.testdir(), port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false, controllers: false });
  t.teardown(() => cluster.stop());
  const client = new ApiClient(cluster.url, { ca: cluster.ca, ...cluster.credentials('admin') }, 4);
  t.teardown(() => client.close());

  const created = await client.request('POST', '/api/v1/nodes', nodeBody(0));
  t.equal(created.status, 201, created.body.toString());
  const updated = await client.request('PUT', `/api/v1/nodes/${nodeName(0)}/status`, withReadyStatus(created.body, new Date('2026-01-02T03:04:05.678Z')));
  t.equal(updated.status, 200, updated.body.toString());
  const node = JSON.parse((await client.request('GET', `/api/v1/nodes/${nodeName(0)}`)).body.toString());
  t.same(node.status.allocatable, { cpu: '32', memory: '128Gi', pods: '110' });
  t.match(node.status.conditions, [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-02T03:04:05Z' }]);

  const pod = await client.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, podBody(0, '10m'));
  t.equal(pod.status, 201, pod.body.toString());
  const body = JSON.parse(pod.body.toString());
  t.equal(body.metadata.name, podName(0));
  t.notOk(body.spec.nodeName, 'left for the scheduler');
  t.same(body.spec.containers[0].resources.requests, { cpu: '10m', memory: '16Mi' });
});
