import t from 'tap';
import type { ExtensionPoint, PluginRef, ProfileConfig } from '../config/types.js';
import { resolvePlugins } from './resolve-plugins.js';

// what each fake plugin implements
const IMPLEMENTS: Record<string, ExtensionPoint[]> = {
  Sort: ['queueSort'],
  Fit: ['preFilter', 'filter', 'score'],
  Taint: ['filter', 'preScore', 'score'],
  Spread: ['preFilter', 'filter', 'preScore', 'score'],
  Bind: ['bind'],
  Extra: ['filter', 'score'],
};
const implementsPoint = (name: string, point: ExtensionPoint) => (IMPLEMENTS[name] ?? []).includes(point);
const DEFAULTS: PluginRef[] = [{ name: 'Sort' }, { name: 'Fit', weight: 1 }, { name: 'Taint', weight: 3 }, { name: 'Spread', weight: 2 }, { name: 'Bind' }];

const profile = (p: Partial<ProfileConfig> = {}): ProfileConfig => ({
  schedulerName: 'default-scheduler',
  multiPoint: { enabled: [], disabled: [] },
  points: {},
  pluginConfig: new Map(),
  ...p,
});

t.test('profiles resolve like kube-scheduler merges plugins', async (t) => {
  const cases: Array<{ name: string; profile: ProfileConfig; filter: string[]; score: string[]; weights: Record<string, number> }> = [
    { name: 'defaults', profile: profile(), filter: ['Fit', 'Taint', 'Spread'], score: ['Fit', 'Taint', 'Spread'], weights: { Fit: 1, Taint: 3, Spread: 2 } },
    {
      name: 'multiPoint disable removes everywhere',
      profile: profile({ multiPoint: { enabled: [], disabled: ['Spread'] } }),
      filter: ['Fit', 'Taint'],
      score: ['Fit', 'Taint'],
      weights: { Fit: 1, Taint: 3 },
    },
    {
      name: 'a score-only disable keeps the filter',
      profile: profile({ points: { score: { enabled: [], disabled: ['Taint'] } } }),
      filter: ['Fit', 'Taint', 'Spread'],
      score: ['Fit', 'Spread'],
      weights: { Fit: 1, Spread: 2 },
    },
    {
      name: 'a weight at the score point overrides the default',
      profile: profile({ points: { score: { enabled: [{ name: 'Fit', weight: 7 }], disabled: [] } } }),
      filter: ['Fit', 'Taint', 'Spread'],
      score: ['Fit', 'Taint', 'Spread'],
      weights: { Fit: 7, Taint: 3, Spread: 2 },
    },
    {
      name: 'score * disabled, then one enabled',
      profile: profile({ points: { score: { enabled: [{ name: 'Extra', weight: 5 }], disabled: ['*'] } } }),
      filter: ['Fit', 'Taint', 'Spread'],
      score: ['Extra'],
      weights: { Extra: 5 },
    },
    {
      name: 'multiPoint enables a new plugin at every point it has, weight 1 when none given',
      profile: profile({ multiPoint: { enabled: [{ name: 'Extra' }], disabled: [] } }),
      filter: ['Fit', 'Taint', 'Spread', 'Extra'],
      score: ['Fit', 'Taint', 'Spread', 'Extra'],
      weights: { Fit: 1, Taint: 3, Spread: 2, Extra: 1 },
    },
  ];
  for (const c of cases) {
    const r = resolvePlugins(c.profile, DEFAULTS, implementsPoint);
    t.same(r.points.filter, c.filter, `${c.name}: filter`);
    t.same(r.points.score, c.score, `${c.name}: score`);
    t.same(Object.fromEntries([...r.weights].filter(([n]) => r.points.score.includes(n))), c.weights, `${c.name}: weights`);
    t.same(r.points.queueSort, ['Sort'], `${c.name}: queueSort`);
    t.same(r.points.bind, ['Bind'], `${c.name}: bind`);
  }
});
