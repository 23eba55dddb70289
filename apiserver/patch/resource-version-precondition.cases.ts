import t from 'tap';
import { applyMergePatch } from './merge-patch.js';
import { violatesResourceVersion } from './resource-version-precondition.js';

t.test('resourceVersion preconditions from patches', async (t) => {
  const live = { metadata: { name: 'p', resourceVersion: '7', labels: { a: '1' } } };
  const cases: Array<[string, unknown, boolean]> = [
    ['patch without resourceVersion', { metadata: { labels: { b: '2' } } }, false],
    ['matching resourceVersion', { metadata: { labels: { b: '2' }, resourceVersion: '7' } }, false],
    ['stale resourceVersion (kubectl label --resource-version=5)', { metadata: { labels: { b: '2' }, resourceVersion: '5' } }, true],
    ['resourceVersion removed', { metadata: { resourceVersion: null } }, false],
    ['empty resourceVersion', { metadata: { resourceVersion: '' } }, false],
  ];
  for (const [name, patch, want] of cases) t.equal(violatesResourceVersion(live, applyMergePatch(live, patch)), want, name);
});
