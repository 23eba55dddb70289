/**
 * The REST client against a real API server: CRUD (namespaced and cluster-scoped),
 * errors as ApiError, list paging and selectors, the three patch types, server-side
 * apply, the status subresource, deletion options, subresources and bad input.
 */
import { join } from 'node:path';
import t from 'tap';
import type { V1ConfigMap, V1Namespace, V1Pod } from '@kubernetes/client-node';
import { ApiError, isAlreadyExists, isConflict, isNotFound } from '../api-error.js';
import { clientFromKubeconfig, createClient } from '../create-client.js';
import { isNoKindMatch } from '../discovery/rest-mapper.js';
import type { KubeObject } from '../types.js';
import { startTestCluster } from './test-cluster.js';

const tokenDir = t.testdir({ 'tokens.csv': 'good-token,alice,1001,"devs"\n' });
const { cluster, client } = await startTestCluster(t, { tokenAuthFile: join(tokenDir, 'tokens.csv') });
const configMaps = client.resource<V1ConfigMap & KubeObject>('v1', 'ConfigMap');
const namespaces = client.resource<V1Namespace & KubeObject>('v1', 'Namespace');
const pods = client.resource<V1Pod & KubeObject>('v1', 'Pod');

t.test('ConfigMap CRUD and conflict', async (t) => {
  const created = await configMaps.create({ metadata: { name: 'crud', namespace: 'default' }, data: { a: '1' } });
  t.equal(created.kind, 'ConfigMap');
  t.ok(created.metadata?.uid);
  const got = await configMaps.get('crud', { namespace: 'default' });
  t.same(got.data, { a: '1' });
  const updated = await configMaps.update({ ...got, data: { a: '2' } });
  t.same(updated.data, { a: '2' });
  t.not(updated.metadata?.resourceVersion, got.metadata?.resourceVersion);

  // a write with the stale resourceVersion conflicts
  const stale = await configMaps.update({ ...got, data: { a: '3' } }).catch((e: unknown) => e);
  t.ok(stale instanceof ApiError && isConflict(stale), 'stale update is a Conflict');
  t.equal((stale as ApiError).code, 409);

  const again = await configMaps.create({ metadata: { name: 'crud', namespace: 'default' } }).catch((e: unknown) => e);
  t.ok(isAlreadyExists(again), 'second create is AlreadyExists');
  t.equal((again as ApiError).status.kind, 'Status');

  await configMaps.delete('crud', { namespace: 'default' });
  const gone = await configMaps.get('crud', { namespace: 'default' }).catch((e: unknown) => e);
  t.ok(gone instanceof ApiError && isNotFound(gone), 'get after delete is NotFound');
  t.equal((gone as ApiError).reason, 'NotFound');
  t.match((gone as ApiError).message, /not found/);
});

t.test('cluster-scoped Namespace CRUD', async (t) => {
  const ns = await namespaces.create({ metadata: { name: 'client-test', labels: { team: 'a' } } });
  t.equal(ns.metadata?.name, 'client-test');
  // a namespace passed for a cluster-scoped kind is ignored, not an error
  t.equal((await namespaces.get('client-test', { namespace: 'ignored' })).metadata?.name, 'client-test');
  const list = await namespaces.list({ labelSelector: 'team=a' });
  t.same(list.items.map((n) => n.metadata?.name), ['client-test']);
  const deleted = await namespaces.delete('client-test');
  t.ok(deleted.metadata || deleted.kind, 'delete answers the object or a Status');
});

t.test('list: label selector, limit and continue, all namespaces', async (t) => {
  await namespaces.create({ metadata: { name: 'paging' } });
  for (let i = 0; i < 5; i++) await configMaps.create({ metadata: { name: `page-${i}`, namespace: i < 3 ? 'default' : 'paging', labels: { set: 'paging', odd: String(i % 2) } } });
  const first = await configMaps.list({ labelSelector: 'set=paging', limit: 2 });
  t.equal(first.items.length, 2);
  t.ok(first.metadata.continue, 'a continue token');
  const names = first.items.map((i) => i.metadata?.name);
  let next = first.metadata.continue;
  while (next) {
    const page = await configMaps.list({ labelSelector: 'set=paging', limit: 2, continue: next });
    names.push(...page.items.map((i) => i.metadata?.name));
    next = page.metadata.continue;
  }
  t.same(names.sort(), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4'], 'all pages across namespaces');
  const inPaging = await configMaps.list({ namespace: 'paging', labelSelector: 'set=paging,odd=1' });
  t.same(inPaging.items.map((i) => i.metadata?.name), ['page-3']);
  const byField = await configMaps.list({ namespace: 'default', fieldSelector: 'metadata.name=page-1' });
  t.same(byField.items.map((i) => i.metadata?.name), ['page-1']);
  t.ok(byField.metadata.resourceVersion);
});

t.test('patch: merge, json, strategic; apply with a field manager', async (t) => {
  await configMaps.create({ metadata: { name: 'patched', namespace: 'default' }, data: { a: '1' } });
  const merged = await configMaps.patch('patched', 'merge', { data: { b: '2' } }, { namespace: 'default' });
  t.same(merged.data, { a: '1', b: '2' });
  const json = await configMaps.patch('patched', 'json', [{ op: 'remove', path: '/data/a' }], { namespace: 'default' });
  t.same(json.data, { b: '2' });
  const strategic = await configMaps.patch('patched', 'strategic', { metadata: { labels: { s: 'y' } } }, { namespace: 'default' });
  t.same(strategic.metadata?.labels, { s: 'y' });

  const applied = await configMaps.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: 'default' }, data: { x: '1' } }, { fieldManager: 'client-test' });
  t.same(applied.data, { x: '1' });
  const managers = (applied.metadata?.managedFields as Array<{ manager: string; operation: string }> | undefined) ?? [];
  t.ok(managers.some((m) => m.manager === 'client-test' && m.operation === 'Apply'), 'managedFields names the apply manager');

  // another manager taking the same field conflicts unless forced
  const conflict = await configMaps.apply({ metadata: { name: 'applied', namespace: 'default' }, data: { x: '2' } }, { fieldManager: 'other' }).catch((e: unknown) => e);
  t.ok(conflict instanceof ApiError && conflict.code === 409, 'apply conflict is 409');
  const forced = await configMaps.apply({ metadata: { name: 'applied', namespace: 'default' }, data: { x: '2' } }, { fieldManager: 'other', force: true });
  t.same(forced.data, { x: '2' });

  await t.rejects(configMaps.patch('patched', 'nonsense' as 'merge', {}, { namespace: 'default' }), /unknown patch type/);
  await t.rejects(configMaps.apply({ metadata: { name: 'x', namespace: 'default' } }, { fieldManager: '' }), /fieldManager is required/);
});

t.test('Pod status, delete options, subresources', async (t) => {
  const pod = await pods.create({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  const withStatus = await pods.updateStatus({ ...pod, status: { phase: 'Running', message: 'from the client test' } });
  t.equal(withStatus.status?.phase, 'Running');
  const status = await pods.getSubresource('p', 'status', { namespace: 'default' });
  t.equal((status as V1Pod).status?.message, 'from the client test');
  const patchedStatus = await pods.patch('p', 'merge', { status: { message: 'patched' } }, { namespace: 'default', subresource: 'status' });
  t.equal(patchedStatus.status?.message, 'patched');

  const binding = await pods.createSubresource('p', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'default' }, target: { kind: 'Node', name: 'n1' } }, { namespace: 'default' });
  t.ok(binding.kind, 'binding answers a Status');
  t.equal((await pods.get('p', { namespace: 'default' })).spec?.nodeName, 'n1');

  const dry = await pods.delete('p', { namespace: 'default', dryRun: true });
  t.ok(dry);
  t.ok(await pods.get('p', { namespace: 'default' }), 'dry-run delete leaves the pod');
  const precondition = await pods.delete('p', { namespace: 'default', preconditions: { uid: 'not-the-uid' } }).catch((e: unknown) => e);
  t.ok(precondition instanceof ApiError && precondition.code === 409, 'a wrong uid precondition is a conflict');
  await pods.delete('p', { namespace: 'default', gracePeriodSeconds: 0 });
  await t.rejects(pods.get('p', { namespace: 'default' }), { code: 404, reason: 'NotFound' });
});

t.test('bad input is a clear error before any request', async (t) => {
  await t.rejects(configMaps.get('x'), /ConfigMap is namespaced, and no namespace was given/);
  await t.rejects(configMaps.update({ metadata: { namespace: 'default' } }), /metadata.name is required/);
  await t.rejects(configMaps.create({ metadata: { name: 'no-ns' } }), /no namespace was given/);
  await t.rejects(client.resource('v1/x/y', 'Thing').list(), /is not "version" or "group\/version"/);
  const invalid = await configMaps.create({ metadata: { name: 'Not_Valid', namespace: 'default' } }).catch((e: unknown) => e);
  t.ok(invalid instanceof ApiError && invalid.code === 422 && invalid.reason === 'Invalid', 'server validation is 422 Invalid');
});

t.test('network failure is not an ApiError; closed client refuses', async (t) => {
  const dead = createClient({ server: 'https://127.0.0.1:1', ca: cluster.ca, ...cluster.credentials('admin') });
  const err = await dead.mapping('v1', 'Pod').catch((e: unknown) => e);
  t.notOk(err instanceof ApiError);
  t.match(String((err as Error).message), /ECONNREFUSED/);
  dead.close();
  await t.rejects(dead.resource('v1', 'Pod').list(), /closed/);
});

t.test('abort signal cancels a request', async (t) => {
  const abort = new AbortController();
  abort.abort();
  const err = await configMaps.list({ namespace: 'default', signal: abort.signal }).catch((e: unknown) => e);
  t.notOk(err instanceof ApiError);
  t.equal((err as Error).name, 'AbortError');
});

t.test('userAgent from the certificate', async (t) => {
  t.equal(client.userAgent, 'k8ts/admin');
});

t.test('discovery through the client: group kinds, scope, unknown kinds', async (t) => {
  t.same(await client.mapping('apps/v1', 'Deployment'), { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true });
  t.same(await client.mapping('coordination.k8s.io/v1', 'Lease'), { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', resource: 'leases', namespaced: true });
  t.same(await client.mapping('v1', 'Node'), { group: '', version: 'v1', kind: 'Node', resource: 'nodes', namespaced: false });
  const unknown = await client.mapping('v1', 'Gizmo').catch((e: unknown) => e);
  t.ok(isNoKindMatch(unknown));
  t.equal((unknown as Error).message, 'no matches for kind "Gizmo" in version "v1"');
  await t.rejects(client.mapping('nothing.example.com/v1', 'Gizmo'), { message: 'no matches for kind "Gizmo" in version "nothing.example.com/v1"' });
  await t.rejects(client.resource('v1', 'Gizmo').list(), { name: 'NoKindMatchError' });

  // a Lease through its group URL
  const leases = client.resource('coordination.k8s.io/v1', 'Lease');
  const lease = await leases.create({ metadata: { name: 'l', namespace: 'default' }, spec: { holderIdentity: 'me' } });
  t.equal(lease.apiVersion, 'coordination.k8s.io/v1');
  t.same((await leases.list({ namespace: 'default' })).items.map((l) => l.metadata?.name), ['l']);
});

t.test('a client from the cluster kubeconfig, and bearer tokens', async (t) => {
  const fromKubeconfig = clientFromKubeconfig(cluster.kubeconfig);
  t.teardown(() => fromKubeconfig.close());
  t.equal((await fromKubeconfig.resource('v1', 'Namespace').get('default')).metadata?.name, 'default');

  const alice = createClient({ server: cluster.url, ca: cluster.ca, token: 'good-token' });
  t.teardown(() => alice.close());
  t.equal(alice.userAgent, 'k8ts/client');
  t.ok((await alice.resource('v1', 'ConfigMap').list({ namespace: 'default' })).items);
  // from the list's resourceVersion, so the event is seen however late the socket opens
  const from = (await configMaps.list({ namespace: 'default', limit: 1 })).metadata.resourceVersion;
  const aliceWatch = alice.resource('v1', 'ConfigMap').watch({ namespace: 'default', labelSelector: 'w=alice', resourceVersion: from });
  const first = (async () => {
    for await (const e of aliceWatch) return e.object.metadata?.name;
    return undefined;
  })();
  await configMaps.create({ metadata: { name: 'for-alice', namespace: 'default', labels: { w: 'alice' } } });
  t.equal(await first, 'for-alice', 'a token authenticates the watch too');

  const stranger = createClient({ server: cluster.url, ca: cluster.ca, token: 'bad-token' });
  t.teardown(() => stranger.close());
  await t.rejects(stranger.resource('v1', 'ConfigMap').list({ namespace: 'default' }), { code: 401, reason: 'Unauthorized' });
  t.throws(() => createClient({ server: cluster.url, ca: cluster.ca }), /cert \+ key\) or a token/);
  t.throws(() => createClient({ server: 'http://127.0.0.1:1', ca: cluster.ca, token: 'x' }), /must be https/);
});
