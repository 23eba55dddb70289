/**
 * ControllerRevision helpers: hashing and naming, equality by data, ordering, the next
 * revision number, applying a revision, and which revisions truncation removes.
 */
import t from 'tap';
import { revisionsToTruncate } from './controller-history.js';
import {
  applyRevision,
  controllerRevisionName,
  equalRevision,
  findEqualRevisions,
  fnv32a,
  hashControllerRevision,
  newControllerRevision,
  nextRevision,
  safeEncodeString,
  sortRevisions,
  templatePatch,
  type ControllerRevision,
} from './controller-revision.js';

const owner = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
  spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } } },
});

const revisionOf = (image: string, revision: number, collisionCount?: number): ControllerRevision =>
  newControllerRevision({
    owner: owner(image),
    ownerApiVersion: 'apps/v1',
    ownerKind: 'StatefulSet',
    templateLabels: { app: 'web' },
    data: templatePatch(owner(image)),
    revision,
    ...(collisionCount !== undefined ? { collisionCount } : {}),
  });

t.test('hashing and naming', async (t) => {
  t.equal(fnv32a(Buffer.from('')), 0x811c9dc5, 'FNV-1a offset basis');
  t.equal(fnv32a(Buffer.from('a')), 0xe40c292c, 'FNV-1a of "a"');
  t.match(safeEncodeString('0123456789'), /^[bcdfghjklmnpqrstvwxz2456789]{10}$/, 'no vowels');
  t.equal(hashControllerRevision({ a: 1, b: 2 }), hashControllerRevision({ b: 2, a: 1 }), 'key order does not matter');
  t.not(hashControllerRevision({ a: 1 }, 0), hashControllerRevision({ a: 1 }, 1), 'the collision count changes the hash');
  t.equal(controllerRevisionName('x'.repeat(300), 'h').length, 225, 'long owner names are cut');
  const r = revisionOf('nginx:1', 1);
  t.match(r, {
    metadata: { name: /^web-/, namespace: 'default', labels: { app: 'web', 'controller.kubernetes.io/hash': /./ }, ownerReferences: [{ kind: 'StatefulSet', uid: 'uid-web', controller: true }] },
    revision: 1,
    data: { spec: { template: { $patch: 'replace', spec: { containers: [{ image: 'nginx:1' }] } } } },
  });
});

t.test('equality, order, next revision, apply', async (t) => {
  const a1 = revisionOf('nginx:1', 1);
  const b2 = revisionOf('nginx:2', 2);
  const a3 = revisionOf('nginx:1', 3);
  t.ok(equalRevision(a1, a3), 'same data, same revision');
  t.notOk(equalRevision(a1, b2));
  t.same(findEqualRevisions([a1, b2], a3), [a1]);
  t.same(sortRevisions([a3, a1, b2]).map((r) => r.revision), [1, 2, 3]);
  t.equal(nextRevision([]), 1);
  t.equal(nextRevision([a1, a3, b2]), 4);
  const applied = applyRevision(owner('nginx:9'), b2);
  t.same(applied.spec.template, owner('nginx:2').spec.template, 'applying a revision restores its template');
});

t.test('truncation keeps live revisions and the newest history', async (t) => {
  const revs = [1, 2, 3, 4, 5].map((n) => {
    const r = revisionOf(`img:${n}`, n);
    r.metadata!.name = `r${n}`;
    return r;
  });
  const cases: Array<[string, string[], number, string[]]> = [
    ['under the limit', ['r5'], 10, []],
    ['oldest non-live first', ['r5'], 2, ['r1', 'r2']],
    ['live revisions are skipped', ['r1', 'r5'], 2, ['r2']],
    ['limit 0 keeps only live', ['r5'], 0, ['r1', 'r2', 'r3', 'r4']],
  ];
  for (const [name, live, limit, want] of cases) t.same(revisionsToTruncate(revs, new Set(live), limit).map((r) => r.metadata?.name), want, name);
});
