import t from 'tap';
import type { ContainerConfig, PodSandboxConfig } from './api.js';
import { containerMatches, matchesId, matchesLabels, sandboxMatches, type FilterableContainer } from './list-filters.js';
import { containerSummary, podSandboxSummary } from './list-summaries.js';
import { requireContainerCreatable, requireNameFree, requireNewSandbox } from './request-checks.js';

t.test('ids match in full or by prefix; label selectors need every pair', async (t) => {
  const cases: Array<[string, boolean]> = [
    ['', true],
    ['abc', true],
    ['abcdef', true],
    ['abd', false],
    ['abcdefg', false],
  ];
  for (const [wanted, want] of cases) t.equal(matchesId('abcdef', wanted || undefined), want, `id filter ${JSON.stringify(wanted)}`);
  t.ok(matchesLabels({ a: '1', b: '2' }, { a: '1' }));
  t.ok(matchesLabels({}, undefined));
  t.notOk(matchesLabels({ a: '1' }, { a: '1', b: '2' }));
  t.notOk(matchesLabels({ a: '1' }, { a: '2' }));
});

t.test('sandbox filter: id, state and labels together', async (t) => {
  const s = { id: 'abc123', state: 'SANDBOX_READY' as const, labels: { app: 'web' } };
  t.ok(sandboxMatches(s, undefined));
  t.ok(sandboxMatches(s, { id: 'abc', state: { state: 'SANDBOX_READY' }, labelSelector: { app: 'web' } }));
  t.notOk(sandboxMatches(s, { state: { state: 'SANDBOX_NOTREADY' } }));
  t.notOk(sandboxMatches(s, { labelSelector: { app: 'db' } }));
  t.ok(sandboxMatches({ ...s, labels: undefined }, {}), 'no labels and no selector');
});

t.test('container filter: sandbox id by prefix; a stats filter has no state', async (t) => {
  const c: FilterableContainer = { id: 'c0ffee', podSandboxId: 'sandbox1', state: 'CONTAINER_EXITED', labels: { app: 'web' } };
  const cases: Array<[string, Parameters<typeof containerMatches>[1], boolean]> = [
    ['no filter', undefined, true],
    ['sandbox prefix', { podSandboxId: 'sand' }, true],
    ['other sandbox', { podSandboxId: 'sandbox2' }, false],
    ['state', { state: { state: 'CONTAINER_EXITED' } }, true],
    ['other state', { state: { state: 'CONTAINER_RUNNING' } }, false],
    ['stats filter', { id: 'c0', podSandboxId: 'sandbox1', labelSelector: { app: 'web' } }, true],
    ['labels', { labelSelector: { app: 'db' } }, false],
  ];
  for (const [name, filter, want] of cases) t.equal(containerMatches(c, filter), want, name);
});

t.test('summaries copy what they report', async (t) => {
  const config = { metadata: { name: 'p', namespace: 'n', uid: 'u', attempt: 1 }, labels: { a: '1' } } as unknown as PodSandboxConfig;
  const summary = podSandboxSummary({ id: 's', config, state: 'SANDBOX_READY', createdAtNs: 5, runtimeHandler: '' });
  t.same(summary, { id: 's', metadata: config.metadata, state: 'SANDBOX_READY', createdAt: 5, labels: { a: '1' }, annotations: {}, runtimeHandler: '' });
  summary.labels.b = '2';
  t.same(config.labels, { a: '1' }, 'editing the entry does not reach the runtime');
  const cconfig = { metadata: { name: 'c', attempt: 0 }, image: { image: 'busybox' } } as unknown as ContainerConfig;
  t.same(containerSummary({ id: 'c1', podSandboxId: 's', config: cconfig, imageRef: 'sha256:x', state: 'CONTAINER_CREATED', createdAtNs: 7 }), {
    id: 'c1',
    podSandboxId: 's',
    metadata: { name: 'c', attempt: 0 },
    image: { image: 'busybox' },
    imageRef: 'sha256:x',
    state: 'CONTAINER_CREATED',
    createdAt: 7,
    labels: {},
    annotations: {},
  });
});

t.test('request checks: containerd codes and messages', async (t) => {
  const config = { metadata: { name: 'p', namespace: 'n', uid: 'u', attempt: 0 } } as unknown as PodSandboxConfig;
  t.equal(requireNewSandbox(config, new Map()), 'p_n_u_0');
  t.throws(() => requireNewSandbox(config, new Map([['p_n_u_0', 'id1']])), { code: 'AlreadyExists', message: 'sandbox name "p_n_u_0" is reserved for id1' });
  t.throws(() => requireNewSandbox({ metadata: { name: 'p' } } as unknown as PodSandboxConfig, new Map()), { code: 'InvalidArgument' });
  t.throws(() => requireContainerCreatable({ metadata: { name: 'c' } } as unknown as ContainerConfig, { id: 's1', ready: false }), {
    code: 'FailedPrecondition',
    message: 'sandbox s1 is not ready; cannot create container c',
  });
  t.throws(() => requireContainerCreatable({} as ContainerConfig, { id: 's1', ready: true }), { code: 'InvalidArgument' });
  t.doesNotThrow(() => requireNameFree('container', 's1/c_0', new Map()));
});
