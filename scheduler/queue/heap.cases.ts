import t from 'tap';
import { KeyedHeap } from './heap.js';

interface Item {
  key: string;
  value: number;
}
const newHeap = () => new KeyedHeap<Item>((i) => i.key, (a, b) => a.value < b.value);
const drain = (h: KeyedHeap<Item>) => {
  const out: string[] = [];
  for (let i = h.pop(); i; i = h.pop()) out.push(i.key);
  return out;
};

t.test('pops in order, equal items first-in first-out', async (t) => {
  const h = newHeap();
  for (const [key, value] of [['a', 5], ['b', 3], ['c', 5], ['d', 1], ['e', 3]] as const) h.addOrUpdate({ key, value });
  t.equal(h.size, 5);
  t.equal(h.peek()?.key, 'd');
  t.same(drain(h), ['d', 'b', 'e', 'a', 'c']);
  t.equal(h.pop(), undefined);
});

t.test('update re-sifts in both directions; delete from the middle', async (t) => {
  const cases: { name: string; ops: (h: KeyedHeap<Item>) => void; want: string[] }[] = [
    { name: 'update up', ops: (h) => h.addOrUpdate({ key: 'c', value: 0 }), want: ['c', 'a', 'b', 'd'] },
    { name: 'update down', ops: (h) => h.addOrUpdate({ key: 'a', value: 9 }), want: ['b', 'c', 'd', 'a'] },
    { name: 'delete middle', ops: (h) => t.equal(h.delete('b')?.key, 'b'), want: ['a', 'c', 'd'] },
    { name: 'delete missing', ops: (h) => t.equal(h.delete('zz'), undefined), want: ['a', 'b', 'c', 'd'] },
  ];
  for (const c of cases) {
    const h = newHeap();
    [1, 2, 3, 4].forEach((value, i) => h.addOrUpdate({ key: 'abcd'[i]!, value }));
    c.ops(h);
    t.same(drain(h), c.want, c.name);
  }
});

t.test('random operations agree with a sorted reference', async (t) => {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const h = newHeap();
  const ref = new Map<string, number>();
  for (let i = 0; i < 3000; i++) {
    const key = `k${Math.floor(rand() * 200)}`;
    const op = rand();
    if (op < 0.5) {
      const value = Math.floor(rand() * 50);
      h.addOrUpdate({ key, value });
      ref.set(key, value);
    } else if (op < 0.7) {
      if (h.delete(key)?.key !== (ref.has(key) ? key : undefined)) t.fail(`delete ${key}`);
      ref.delete(key);
    } else if (op < 0.9 && h.size > 0) {
      const min = Math.min(...ref.values());
      const popped = h.pop()!;
      if (popped.value !== min) t.fail(`popped ${popped.value}, min ${min}`);
      ref.delete(popped.key);
    }
    if (h.size !== ref.size) t.fail('size drift');
  }
  t.equal(h.size, ref.size);
  for (const [key, value] of ref) t.equal(h.get(key)?.value, value);
});
