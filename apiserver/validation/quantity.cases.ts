import t from 'tap';
import { canonicalQuantity, compareQuantities, parseQuantity, quantityErrors, QUANTITY_FORMAT_ERROR } from './quantity.js';

t.test('canonical form, as kube prints it', async (t) => {
  const cases: Array<[string, string]> = [
    ['100m', '100m'],
    ['1Gi', '1Gi'],
    ['1e3', '1e3'],
    ['1E3', '1e3'],
    ['0.5', '500m'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['1.5', '1500m'],
    ['1.5Gi', '1536Mi'],
    ['2048Ki', '2Mi'],
    ['1024', '1024'],
    ['0.1Ki', '102400m'],
    ['512Ki', '512Ki'],
    ['1e-3', '1e-3'],
    ['0', '0'],
    ['0Gi', '0'],
    ['-1', '-1'],
    ['-100m', '-100m'],
    ['+5', '5'],
    ['.5', '500m'],
    ['5.', '5'],
    ['1M', '1M'],
    ['1000M', '1G'],
    ['1000000000000000000000', '1000E'],
    ['0.0000000001', '1n'],
    ['12e2', '1200'],
    ['1Ei', '1Ei'],
  ];
  for (const [input, want] of cases) t.equal(canonicalQuantity(input), want, input);
});

t.test('rejects what kube rejects', async (t) => {
  for (const bad of ['', 'abc', '1Gb', '1 Gi', '1.2.3', 'Gi', '--1', '1i', '1ki', '1e', '0x10', '1Gi1']) {
    t.equal(parseQuantity(bad), undefined, JSON.stringify(bad));
    t.same(quantityErrors(bad), [QUANTITY_FORMAT_ERROR], JSON.stringify(bad));
  }
  t.same(quantityErrors(5), [QUANTITY_FORMAT_ERROR], 'a number is not a quantity string');
  t.same(quantityErrors('1Gi'), []);
});

t.test('values and comparison', async (t) => {
  const v = (s: string) => parseQuantity(s)!;
  t.equal(v('1Ki').nano, 1024n * 1_000_000_000n);
  t.equal(v('100m').nano, 100_000_000n);
  t.equal(v('1Gi').format, 'BinarySI');
  t.equal(v('1e3').format, 'DecimalExponent');
  t.equal(v('1k').format, 'DecimalSI');
  t.equal(compareQuantities(v('1'), v('1000m')), 0);
  t.equal(compareQuantities(v('1Gi'), v('1G')), 1);
  t.equal(compareQuantities(v('-1'), v('0')), -1);
});
