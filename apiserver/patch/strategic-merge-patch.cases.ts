import t from 'tap';
import { builtinCatalogue } from '../resources/index.js';
import { buildSchemaRegistry } from '../schema/schema-registry.js';
import type { Json, JsonObject } from './json.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const registry = buildSchemaRegistry(builtinCatalogue());
const ids = {
  Deployment: registry.idOf({ group: 'apps', version: 'v1', kind: 'Deployment' }),
  Pod: registry.idOf({ group: '', version: 'v1', kind: 'Pod' }),
  Node: registry.idOf({ group: '', version: 'v1', kind: 'Node' }),
  ConfigMap: registry.idOf({ group: '', version: 'v1', kind: 'ConfigMap' }),
};
const smp = (kind: keyof typeof ids | undefined, doc: Json, patch: unknown) =>
  applyStrategicMergePatch(doc, patch, { schemas: registry, rootId: kind && ids[kind] });

/** a Deployment whose pod template spec is `podSpec` */
const deploy = (podSpec: JsonObject, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec }, ...extra },
});
const podSpecOf = (d: JsonObject) => ((d.spec as JsonObject).template as JsonObject).spec as JsonObject;
const templatePatch = (podSpecPatch: JsonObject) => ({ spec: { template: { spec: podSpecPatch } } });

const c = (name: string, more: JsonObject = {}): JsonObject => ({ name, image: `${name}:1`, ...more });

t.test('schema ids resolve', async (t) => {
  for (const [kind, id] of Object.entries(ids)) t.ok(id, kind);
});

type ListCase = [name: string, podSpec: JsonObject, patch: JsonObject, want: Json];

t.test('merge lists by key (containers by name)', async (t) => {
  const cases: ListCase[] = [
    [
      'kubectl set image',
      { containers: [c('a'), c('b')] },
      { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ image: 'b:2', name: 'b' }] },
      [c('a'), c('b', { image: 'b:2' })],
    ],
    ['a new item without $setElementOrder goes before the live ones (kube order)', { containers: [c('a')] }, { containers: [c('n')] }, [c('n'), c('a')]],
    ['a new item with $setElementOrder goes where it says', { containers: [c('a')] }, { '$setElementOrder/containers': [{ name: 'a' }, { name: 'n' }], containers: [c('n')] }, [c('a'), c('n')]],
    [
      'the patch order beats the live order (server-only items slot in by live position)',
      { containers: [c('a'), c('b'), c('c')] },
      { containers: [{ name: 'c', image: 'c:2' }, { name: 'a', image: 'a:2' }] },
      [c('b'), c('c', { image: 'c:2' }), c('a', { image: 'a:2' })],
    ],
    [
      'patching items in live order keeps the list as it was',
      { containers: [c('a'), c('b'), c('c')] },
      { containers: [{ name: 'a', image: 'a:2' }, { name: 'c', image: 'c:2' }] },
      [c('a', { image: 'a:2' }), c('b'), c('c', { image: 'c:2' })],
    ],
    ['$setElementOrder alone reorders', { containers: [c('a'), c('b'), c('c')] }, { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] }, [c('c'), c('a'), c('b')]],
    ['$patch: delete by key', { containers: [c('a'), c('b')] }, { containers: [{ name: 'b', $patch: 'delete' }] }, [c('a')]],
    [
      'kubectl apply removing an item ($setElementOrder + delete)',
      { containers: [c('a'), c('b'), c('c')] },
      { '$setElementOrder/containers': [{ name: 'a' }, { name: 'c' }], containers: [{ name: 'b', $patch: 'delete' }] },
      [c('a'), c('c')],
    ],
    ['$patch: replace in a list', { containers: [c('a'), c('b')] }, { containers: [{ $patch: 'replace' }, c('z')] }, [c('z')]],
    ['null inside a list item deletes that field', { containers: [c('a', { workingDir: '/x' })] }, { containers: [{ name: 'a', workingDir: null }] }, [c('a')]],
    ['nulls in a new item are dropped', { containers: [c('a')] }, { '$setElementOrder/containers': [{ name: 'a' }, { name: 'n' }], containers: [c('n', { workingDir: null })] }, [c('a'), c('n')]],
    ['whole list null removes it', { containers: [c('a')], initContainers: [c('i')] }, { initContainers: null }, undefined as unknown as Json],
  ];
  for (const [name, podSpec, patch, want] of cases) {
    const doc = deploy(podSpec);
    const before = structuredClone(doc);
    const got = podSpecOf(smp('Deployment', doc, templatePatch(patch)));
    if (want === (undefined as unknown)) t.notOk('initContainers' in got, name);
    else t.same(got.containers, want, name);
    t.same(doc, before, `${name}: input untouched`);
  }
});

t.test('nested merge lists', async (t) => {
  const doc = deploy({
    containers: [
      c('a', {
        env: [
          { name: 'X', value: '1' },
          { name: 'Y', value: '2' },
        ],
        ports: [
          { containerPort: 53, protocol: 'TCP' },
          { containerPort: 80, protocol: 'TCP' },
        ],
        volumeMounts: [{ name: 'v', mountPath: '/data' }],
      }),
    ],
  });
  const got = podSpecOf(
    smp(
      'Deployment',
      doc,
      templatePatch({
        containers: [
          {
            name: 'a',
            env: [
              { name: 'Y', value: '3' },
              { name: 'Z', value: '4' },
            ],
            // kube merges ports by containerPort alone, so this rewrites the TCP entry
            ports: [{ containerPort: 53, protocol: 'UDP' }],
            volumeMounts: [{ mountPath: '/data', readOnly: true }],
          },
        ],
      }),
    ),
  );
  const a = (got.containers as JsonObject[])[0]!;
  t.same(a.env, [
    { name: 'X', value: '1' },
    { name: 'Y', value: '3' },
    { name: 'Z', value: '4' },
  ]);
  t.same(a.ports, [
    { containerPort: 53, protocol: 'UDP' },
    { containerPort: 80, protocol: 'TCP' },
  ]);
  t.same(a.volumeMounts, [{ name: 'v', mountPath: '/data', readOnly: true }], 'volumeMounts merge by mountPath');
});

t.test('lists without merge strategy are replaced', async (t) => {
  const doc = deploy({ containers: [c('a', { args: ['x', 'y'] })], tolerations: [{ key: 'k', operator: 'Exists' }] });
  const got = podSpecOf(smp('Deployment', doc, templatePatch({ containers: [{ name: 'a', args: ['z'] }], tolerations: [{ key: 'j', operator: 'Exists' }] })));
  t.same((got.containers as JsonObject[])[0]!.args, ['z'], 'args');
  t.same(got.tolerations, [{ key: 'j', operator: 'Exists' }], 'tolerations');
});

t.test('$retainKeys', async (t) => {
  const d = deploy({ containers: [c('a')], volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', hostPath: { path: '/w' } }] }, {
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
  });
  const strategy = smp('Deployment', d, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
  t.same((strategy.spec as JsonObject).strategy, { type: 'Recreate' }, 'deployment strategy switch drops rollingUpdate');
  const volumes = podSpecOf(smp('Deployment', d, templatePatch({ volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] })));
  t.same(volumes.volumes, [{ name: 'v', configMap: { name: 'cm' } }, { name: 'w', hostPath: { path: '/w' } }], 'volume source switch');
  t.throws(() => smp('Deployment', d, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: {} } } }), {
    name: 'PatchError',
    kind: 'invalid-patch',
    status: 400,
    detail: 'invalid patch format of retainKeys',
  });
  t.throws(() => smp('Deployment', d, { spec: { strategy: { $retainKeys: 'type' } } }), { name: 'PatchError', kind: 'invalid-patch', detail: 'invalid patch format of retainKeys' });
  const nullOk = smp('Deployment', d, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } });
  t.same((nullOk.spec as JsonObject).strategy, { type: 'Recreate' }, 'a null outside the list is allowed');
});

t.test('maps, nulls and $patch on maps', async (t) => {
  const d = deploy({ containers: [c('a')] });
  type MapCase = [name: string, patch: JsonObject, check: (got: JsonObject) => Json, want: Json];
  const spec = (got: JsonObject) => got.spec as JsonObject;
  const cases: MapCase[] = [
    [
      'kubectl rollout restart',
      { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-24T08:00:00Z' } } } } },
      (g) => (spec(g).template as JsonObject).metadata as Json,
      { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-24T08:00:00Z' } },
    ],
    ['rollout pause', { spec: { paused: true } }, (g) => spec(g).paused ?? 'absent', true],
    ['rollout resume on an unpaused deployment', { spec: { paused: null } }, (g) => spec(g).paused ?? 'absent', 'absent'],
    ['labels merge, null removes', { metadata: { labels: { a: '1' } } }, (g) => g.metadata as Json, { name: 'web', namespace: 'default', labels: { a: '1' } }],
    ['$patch: replace on a map', { spec: { selector: { $patch: 'replace', matchLabels: { x: 'y' } } } }, (g) => spec(g).selector as Json, { matchLabels: { x: 'y' } }],
    ['$patch: delete on a map empties it', { spec: { selector: { $patch: 'delete' } } }, (g) => spec(g).selector as Json, {}],
    ['a value of another type replaces', { spec: { selector: 'x' } }, (g) => spec(g).selector as Json, 'x'],
    ['metadata.resourceVersion precondition passes through', { metadata: { resourceVersion: '5' } }, (g) => (g.metadata as JsonObject).resourceVersion!, '5'],
  ];
  for (const [name, patch, check, want] of cases) t.same(check(smp('Deployment', d, patch)), want, name);
  const labelled = smp('Deployment', { ...d, metadata: { name: 'web', labels: { a: '1', b: '2' } } }, { metadata: { labels: { a: null, c: '3' } } });
  t.same((labelled.metadata as JsonObject).labels, { b: '2', c: '3' }, 'label removal');
  const resumed = smp('Deployment', deploy({ containers: [] }, { paused: true }), { spec: { paused: null } });
  t.notOk('paused' in (resumed.spec as JsonObject), 'rollout resume removes paused');
});

t.test('primitive lists with merge strategy (finalizers)', async (t) => {
  const withFinalizers = (f: string[]) => ({ metadata: { name: 'x', finalizers: f } });
  const cases: Array<[string, string[], JsonObject, string[]]> = [
    ['union puts new values first (kube order)', ['a', 'b'], { finalizers: ['c'] }, ['c', 'a', 'b']],
    ['union keeps live order for known values', ['a', 'b'], { finalizers: ['b', 'c'] }, ['a', 'b', 'c']],
    ['no duplicates', ['a'], { finalizers: ['a'] }, ['a']],
    ['$deleteFromPrimitiveList', ['a', 'b', 'c'], { '$deleteFromPrimitiveList/finalizers': ['b'] }, ['a', 'c']],
    ['$setElementOrder on primitives', ['a', 'b', 'c'], { '$setElementOrder/finalizers': ['c', 'b', 'a'] }, ['c', 'b', 'a']],
  ];
  for (const [name, live, patch, want] of cases) {
    t.same((smp('ConfigMap', withFinalizers(live), { metadata: patch }).metadata as JsonObject).finalizers, want, name);
  }
  t.same(smp('ConfigMap', { metadata: { name: 'x' } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }), { metadata: { name: 'x' } }, 'delete from a missing list');
});

t.test('other kinds', async (t) => {
  t.same(smp('Node', { metadata: { name: 'n' }, spec: {} }, { spec: { unschedulable: true } }), { metadata: { name: 'n' }, spec: { unschedulable: true } }, 'cordon');
  t.same(smp('Node', { metadata: { name: 'n' }, spec: { unschedulable: true } }, { spec: { unschedulable: null } }), { metadata: { name: 'n' }, spec: {} }, 'uncordon');
  t.same(smp('ConfigMap', { data: { a: '1', b: '2' } }, { data: { a: 'edited', b: null } }), { data: { a: 'edited' } }, 'kubectl edit on a ConfigMap');
  const status: JsonObject = {
    status: {
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
  t.same(
    smp('Deployment', status, { status: { conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded', status: 'False' }] } }),
    {
      status: {
        conditions: [
          { type: 'Available', status: 'True' },
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
        ],
      },
    },
    'status conditions merge by type',
  );
  const pod = { spec: { containers: [c('a')] } };
  t.same(smp('Pod', pod, { spec: { containers: [{ name: 'a', image: 'a:2' }] } }), { spec: { containers: [c('a', { image: 'a:2' })] } }, 'pod containers');
});

t.test('without a schema: maps merge, lists are replaced', async (t) => {
  const doc = { spec: { items: [{ name: 'a', v: 1 }], nested: { x: 1, y: 2 } } };
  t.same(smp(undefined, doc, { spec: { items: [{ name: 'b' }], nested: { y: null, z: 3 } } }), { spec: { items: [{ name: 'b' }], nested: { x: 1, z: 3 } } });
});

t.test('errors', async (t) => {
  const d = deploy({ containers: [c('a'), c('b')] });
  type ErrorCase = [name: string, patch: unknown, kind: string, detail: string | RegExp];
  const cases: ErrorCase[] = [
    ['patch not an object', [1], 'invalid-patch', 'invalid JSON document'],
    ['unknown $patch in a map', { spec: { selector: { $patch: 'frob', a: 'b' } } }, 'server-error', 'unknown patch type: frob in map: map[$patch:frob a:b]'],
    ['unknown $patch in a list item', templatePatch({ containers: [{ name: 'a', $patch: 'frob' }] }), 'server-error', 'unknown patch type: frob in map: map[$patch:frob name:a]'],
    ['$patch: merge in a list item', templatePatch({ containers: [{ name: 'a', $patch: 'merge' }] }), 'server-error', 'merging lists cannot yet be specified in the patch'],
    ['item without its merge key', templatePatch({ containers: [{ image: 'x' }] }), 'server-error', 'map: map[image:x] does not contain declared merge key: name'],
    ['delete without the merge key', templatePatch({ containers: [{ $patch: 'delete' }] }), 'server-error', 'map: map[$patch:delete] does not contain declared merge key: name'],
    ['$setElementOrder without a list name', templatePatch({ $setElementOrder: [] }), 'invalid-patch', 'invalid patch format of setElementOrder list'],
    ['$deleteFromPrimitiveList without a list name', { metadata: { $deleteFromPrimitiveListfinalizers: ['a'] } }, 'invalid-patch', 'invalid patch format of primitive list'],
    [
      '$setElementOrder out of order with the patch',
      templatePatch({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] }),
      'server-error',
      /^The order in patch list:\n\[map\[name:b\] map\[name:a\]\]\n doesn't match \$setElementOrder list:/,
    ],
    ['list of lists', { metadata: { finalizers: [['x']] } }, 'unapplicable', 'lists of lists are not supported'],
  ];
  const withFinalizers = { ...d, metadata: { name: 'web', finalizers: ['a'] } };
  for (const [name, patch, kind, detail] of cases) t.throws(() => smp('Deployment', withFinalizers, patch), { name: 'PatchError', kind, detail }, name);
});
