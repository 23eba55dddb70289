/**
 * NodeResourcesFitArgs defaulting and validation: what a profile may write, what it gets
 * by default, and the error a bad value produces (kube's ValidateNodeResourcesFitArgs).
 */
import t from 'tap';
import { validateArgs, type NodeResourcesFitArgs } from './args.js';

const DEFAULTS: NodeResourcesFitArgs = {
  ignoredResources: [],
  ignoredResourceGroups: [],
  scoringStrategy: {
    type: 'LeastAllocated',
    resources: [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ],
  },
};

t.test('defaults', async (t) => {
  const rows: Array<[string, unknown, NodeResourcesFitArgs]> = [
    ['no args', undefined, DEFAULTS],
    ['null', null, DEFAULTS],
    ['empty object', {}, DEFAULTS],
    ['apiVersion and kind are allowed', { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'NodeResourcesFitArgs' }, DEFAULTS],
    ['a strategy without resources gets cpu and memory', { scoringStrategy: { type: 'MostAllocated' } }, { ...DEFAULTS, scoringStrategy: { ...DEFAULTS.scoringStrategy, type: 'MostAllocated' } }],
    [
      'a missing or zero weight is 1',
      { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu' }, { name: 'example.com/gpu', weight: 0 }, { name: 'memory', weight: 5 }] } },
      {
        ...DEFAULTS,
        scoringStrategy: {
          type: 'LeastAllocated',
          resources: [
            { name: 'cpu', weight: 1 },
            { name: 'example.com/gpu', weight: 1 },
            { name: 'memory', weight: 5 },
          ],
        },
      },
    ],
    [
      'ignored resources and groups are kept',
      { ignoredResources: ['example.com/foo'], ignoredResourceGroups: ['example.org'] },
      { ...DEFAULTS, ignoredResources: ['example.com/foo'], ignoredResourceGroups: ['example.org'] },
    ],
    [
      'a ratio shape',
      { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 10 }, { utilization: 100 }] } } },
      {
        ...DEFAULTS,
        scoringStrategy: {
          type: 'RequestedToCapacityRatio',
          resources: DEFAULTS.scoringStrategy.resources,
          requestedToCapacityRatio: {
            shape: [
              { utilization: 0, score: 10 },
              { utilization: 100, score: 0 },
            ],
          },
        },
      },
    ],
  ];
  for (const [name, raw, want] of rows) t.same(validateArgs(raw), want, name);
});

t.test('errors name the field and the rule', async (t) => {
  const rows: Array<[string, unknown, RegExp]> = [
    ['not an object', 'LeastAllocated', /NodeResourcesFit args: expected an object/],
    ['a list', [], /expected an object/],
    ['unknown strategy', { scoringStrategy: { type: 'Biggest' } }, /scoringStrategy\.type: Unsupported value: "Biggest": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"/],
    ['strategy without a type', { scoringStrategy: { resources: [{ name: 'cpu', weight: 1 }] } }, /scoringStrategy\.type: Unsupported value: ""/],
    ['weight above 100', { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 101 }] } }, /scoringStrategy\.resources\[0\]\.weight: Invalid value: 101: resource weight of cpu not in valid range \(0, 100\]/],
    ['negative weight', { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'memory', weight: -1 }] } }, /resource weight of memory not in valid range/],
    ['fractional weight', { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'memory', weight: 1.5 }] } }, /weight: Invalid value: 1.5: must be an integer/],
    ['resource without a name', { scoringStrategy: { type: 'MostAllocated', resources: [{ weight: 1 }] } }, /resources\[0\]\.name: Required value/],
    ['group with a slash', { ignoredResourceGroups: ['example.com/foo'] }, /ignoredResourceGroups\[0\]: Invalid value: "example.com\/foo": resource group name can't contain '\/'/],
    ['ignored resource not a qualified name', { ignoredResources: ['bad name!'] }, /ignoredResources\[0\]: Invalid value: "bad name!"/],
    ['ignoredResources not a list', { ignoredResources: 'example.com/foo' }, /ignoredResources: Invalid value: "example.com\/foo": must be a list of strings/],
    ['ratio without a shape', { scoringStrategy: { type: 'RequestedToCapacityRatio' } }, /requestedToCapacityRatio\.shape: Required value: at least one point must be specified/],
    ['ratio with an empty shape', { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [] } } }, /at least one point must be specified/],
    [
      'shape not increasing',
      { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 50, score: 1 }, { utilization: 50, score: 2 }] } } },
      /shape\[1\]\.utilization: Invalid value: 50: utilization values must be sorted in increasing order/,
    ],
    [
      'shape score above 10',
      { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 11 }] } } },
      /shape\[0\]\.score: Invalid value: 11: not in valid range \[0, 10\]/,
    ],
    [
      'shape utilization above 100',
      { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 101, score: 1 }] } } },
      /shape\[0\]\.utilization: Invalid value: 101: not in valid range \[0, 100\]/,
    ],
    ['a misspelt field', { scoringstrategy: { type: 'MostAllocated' } }, /scoringstrategy: unknown field/],
    ['a misspelt nested field', { scoringStrategy: { type: 'MostAllocated', resource: [] } }, /scoringStrategy\.resource: unknown field/],
  ];
  for (const [name, raw, want] of rows) t.throws(() => validateArgs(raw), want, name);
});

t.test('every problem is reported at once', async (t) => {
  try {
    validateArgs({ ignoredResourceGroups: ['a/b'], scoringStrategy: { type: 'Nope', resources: [{ name: 'cpu', weight: 500 }] } });
    t.fail('should throw');
  } catch (err) {
    const msg = (err as Error).message;
    t.match(msg, /ignoredResourceGroups\[0\]/);
    t.match(msg, /scoringStrategy\.type/);
    t.match(msg, /scoringStrategy\.resources\[0\]\.weight/);
  }
});
