import t from 'tap';
import { Catalogue } from '../catalogue/catalogue.js';
import { ALL_VERBS } from '../catalogue/resource-def.js';
import { moreCoreResources } from './more-core.js';
import { ageColumn, humanDuration } from './printing.js';

t.test('every def registers and is well-formed', async (t) => {
  const catalogue = new Catalogue(moreCoreResources);
  t.equal(catalogue.all().length, 10);
  for (const def of moreCoreResources) {
    t.ok(def.verbs.every((v) => ALL_VERBS.includes(v)), `${def.plural}: verbs`);
    t.equal(def.printerColumns?.[0]?.name, 'Name', `${def.plural}: Name first`);
    t.match(def.modelName, /^V1[A-Z]/, `${def.plural}: model`);
  }
  t.same(
    moreCoreResources.map((d) => [d.plural, d.shortNames]),
    [
      ['services', ['svc']],
      ['endpoints', ['ep']],
      ['configmaps', ['cm']],
      ['secrets', []],
      ['serviceaccounts', ['sa']],
      ['limitranges', ['limits']],
      ['resourcequotas', ['quota']],
      ['persistentvolumeclaims', ['pvc']],
      ['persistentvolumes', ['pv']],
      ['leases', []],
    ],
  );
});

t.test('humanDuration, as kubectl prints ages', async (t) => {
  const s = 1000;
  const cases: Array<[number, string]> = [
    [-5 * s, '<invalid>'],
    [-1 * s, '0s'],
    [0, '0s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [120 * s, '2m'],
    [200 * s, '3m20s'],
    [600 * s, '10m'],
    [179 * 60 * s, '179m'],
    [180 * 60 * s, '3h'],
    [(5 * 60 + 7) * 60 * s, '5h7m'],
    [8 * 3600 * s, '8h'],
    [47 * 3600 * s, '47h'],
    [48 * 3600 * s, '2d'],
    [(2 * 24 + 4) * 3600 * s, '2d4h'],
    [8 * 24 * 3600 * s, '8d'],
    [729 * 24 * 3600 * s, '729d'],
    [(2 * 365 + 11) * 24 * 3600 * s, '2y11d'],
    [9 * 365 * 24 * 3600 * s, '9y'],
  ];
  for (const [ms, want] of cases) t.equal(humanDuration(ms), want, want);
  t.equal(ageColumn.cell({ metadata: {} }, new Date()), '<unknown>');
});
