import t from 'tap';
import { defaultNormalizeScore } from './normalize-score.js';

const cases: { name: string; raw: number[]; reverse: boolean; want: number[] }[] = [
  { name: 'scaled to the max', raw: [1, 2, 4], reverse: false, want: [25, 50, 100] },
  { name: 'truncates', raw: [1, 3], reverse: false, want: [33, 100] },
  { name: 'all zero stays zero', raw: [0, 0], reverse: false, want: [0, 0] },
  { name: 'reverse', raw: [0, 1, 2], reverse: true, want: [100, 50, 0] },
  { name: 'reverse all zero: all max', raw: [0, 0], reverse: true, want: [100, 100] },
  { name: 'empty', raw: [], reverse: true, want: [] },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const scores = c.raw.map((score, i) => ({ name: `n${i}`, score }));
    defaultNormalizeScore(scores, c.reverse);
    t.same(
      scores.map((s) => s.score),
      c.want,
    );
  });
}
