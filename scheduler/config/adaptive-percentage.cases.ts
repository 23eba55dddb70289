import t from 'tap';
import { numFeasibleNodesToFind } from './adaptive-percentage.js';

t.test('numFeasibleNodesToFind follows kube-scheduler', async (t) => {
  // [percentage, nodes, expected]
  const cases: Array<[number, number, number]> = [
    [0, 0, 0],
    [0, 10, 10], // under 100 nodes: all of them, whatever the percentage
    [30, 99, 99],
    [0, 100, 100], // adaptive 50 % of 100 = 50, floored at 100
    [0, 1000, 420], // 50 - 8 = 42 %
    [0, 5000, 500], // 50 - 40 = 10 %
    [0, 6000, 300], // 50 - 48 = 2 % -> 5 %
    [0, 10000, 500], // 50 - 80 -> 5 %
    [0, 1500, 570], // 50 - 12 = 38 %
    [10, 500, 100], // 50, floored at 100
    [10, 5000, 500],
    [50, 1001, 500], // integer arithmetic: 500.5 -> 500
    [100, 5000, 5000],
    [1, 20000, 200],
  ];
  for (const [percentage, nodes, want] of cases) t.equal(numFeasibleNodesToFind(percentage, nodes), want, `${percentage}% of ${nodes}`);
});
