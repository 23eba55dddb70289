import t from 'tap';
import { ArgsError, parseBenchArgs, parseCases } from './args.js';

t.test('--cases', async (t) => {
  // [text, cases or the error]
  const cases: Array<[string, Array<[number, number]> | string]> = [
    ['100x1000', [[100, 1000]]],
    ['100x1000,1000x10000, 5000x10000', [[100, 1000], [1000, 10000], [5000, 10000]]],
    ['10x20,', [[10, 20]]],
    ['', '--cases: no cases given'],
    ['100', '--cases: "100" is not NODESxPODS with both positive, e.g. 100x1000'],
    ['0x10', '--cases: "0x10" is not NODESxPODS with both positive, e.g. 100x1000'],
    ['10x-1', '--cases: "10x-1" is not NODESxPODS with both positive, e.g. 100x1000'],
    ['10X20', '--cases: "10X20" is not NODESxPODS with both positive, e.g. 100x1000'],
  ];
  for (const [text, want] of cases) {
    if (typeof want === 'string') t.throws(() => parseCases(text), new ArgsError(want), text);
    else t.same(parseCases(text), want.map(([nodes, pods]) => ({ nodes, pods })), text);
  }
});

t.test('flags and defaults', async (t) => {
  t.same(parseBenchArgs([]), {
    cases: [
      { nodes: 100, pods: 1000 },
      { nodes: 1000, pods: 10000 },
      { nodes: 5000, pods: 10000 },
    ],
    concurrency: 64,
    nodeConcurrency: 64,
    timeoutS: 300,
    settleMs: 1000,
    podCpu: '10m',
    store: 'memory',
    schedulerConfig: '',
  });
  t.equal(parseBenchArgs(['--help']), 'help');
  t.match(parseBenchArgs(['--cases', '5x5', '--timeout-s', '2', '--store', 'level', '--scheduler-config', 'x.yaml']), {
    cases: [{ nodes: 5, pods: 5 }],
    timeoutS: 2,
    store: 'level',
    schedulerConfig: 'x.yaml',
  });
  const bad: Array<[string[], string]> = [
    [['--timeout-s', '0'], '--timeout-s must be an integer >= 1, got "0"'],
    [['--concurrency', 'many'], '--concurrency must be an integer >= 1, got "many"'],
    [['--store', 'etcd'], '--store must be level or memory, got "etcd"'],
  ];
  for (const [argv, message] of bad) t.throws(() => parseBenchArgs(argv), new ArgsError(message), argv.join(' '));
  t.throws(() => parseBenchArgs(['--frob']), { constructor: ArgsError, message: /^Unknown option '--frob'/ }, 'node:util says which flag, on one line');
});
