import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { jobs } from './jobs.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';

const UID = '3f1c9a52-7d7e-4a8e-9a55-0c7c4b1f2b11';

// the registry assigns metadata.uid before the strategy runs
const job = (spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'pi', namespace: 'default', uid: UID, creationTimestamp: minutesAgo(10), ...meta },
  spec: {
    template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never' } },
    ...spec,
  },
});

const withTemplate = (template: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  job({ template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never' }, ...template }, ...spec });

const generatedLabels = {
  'batch.kubernetes.io/controller-uid': UID,
  'batch.kubernetes.io/job-name': 'pi',
  'controller-uid': UID,
  'job-name': 'pi',
};

t.test('definition', async (t) => {
  t.match(jobs, { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', shortNames: [], categories: ['all'], modelName: 'V1Job', defaultPropagation: 'Orphan' });
  t.same(
    jobs.subresources.map((s) => s.name),
    ['status'],
  );
  t.same(
    jobs.printerColumns!.map((c) => [c.name, c.priority]),
    [
      ['Name', 0],
      ['Status', 0],
      ['Completions', 0],
      ['Duration', 0],
      ['Age', 0],
      ['Containers', 1],
      ['Images', 1],
      ['Selector', 1],
    ],
  );
});

t.test('defaults and the generated selector', async (t) => {
  const { obj, errors } = create(jobs, job());
  t.same(errors, []);
  t.same(obj.metadata.labels, generatedLabels, 'the Job shows its template labels');
  t.match(obj.spec, {
    completions: 1,
    parallelism: 1,
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    suspend: false,
    manualSelector: false,
    podReplacementPolicy: 'TerminatingOrFailed',
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } },
    template: {
      metadata: { labels: generatedLabels },
      spec: { restartPolicy: 'Never', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', containers: [{ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' }] },
    },
  });
  t.same(Object.keys((obj.spec as { selector: object }).selector), ['matchLabels']);

  const queue = create(jobs, job({ parallelism: 3 })).obj.spec as Record<string, unknown>;
  t.equal(queue.completions, undefined, 'a work queue keeps completions unset');
  t.equal(queue.parallelism, 3);
  const fixed = create(jobs, job({ completions: 5 })).obj.spec as Record<string, unknown>;
  t.match(fixed, { completions: 5, parallelism: 1 });

  const perIndex = create(jobs, job({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 })).obj.spec as Record<string, unknown>;
  t.equal(perIndex.backoffLimit, 2147483647, 'per-index limits lift the global one');

  const withPolicy = create(
    jobs,
    job({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }),
  ).obj.spec as { podReplacementPolicy: string; podFailurePolicy: { rules: Array<{ onPodConditions: Array<{ status: string }> }> } };
  t.equal(withPolicy.podReplacementPolicy, 'Failed');
  t.equal(withPolicy.podFailurePolicy.rules[0]!.onPodConditions[0]!.status, 'True');

  const own = create(jobs, job({}, { labels: { team: 'a' } })).obj;
  t.same(own.metadata.labels, { team: 'a' }, 'a Job with labels keeps them');

  const userLabels = create(jobs, withTemplate({ metadata: { labels: { app: 'pi' } } })).obj;
  t.same(userLabels.metadata.labels, { app: 'pi', ...generatedLabels });
});

t.test('manual selectors', async (t) => {
  const manual = job({ manualSelector: true, selector: { matchLabels: { app: 'pi' } }, template: { metadata: { labels: { app: 'pi' } }, spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'OnFailure' } } });
  const { obj, errors } = create(jobs, manual);
  t.same(errors, []);
  t.same((obj.spec as { selector: unknown }).selector, { matchLabels: { app: 'pi' } }, 'no generated labels');
  t.same(create(jobs, job({ manualSelector: true })).errors, [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`',
  ]);
  const mismatch = job({ manualSelector: true, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'pi' } }, spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } });
  t.same(create(jobs, mismatch).errors, ['spec.template.metadata.labels: Invalid value: {"app":"pi"}: `selector` does not match template `labels`']);
});

t.test('validation', async (t) => {
  const required = 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"';
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', job(), []],
    ['restartPolicy defaulted to Always', withTemplate({ spec: { containers: [{ name: 'pi', image: 'perl' }] } }), [required]],
    ['restartPolicy Always', withTemplate({ spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Always' } }), [required]],
    [
      'negative counts',
      job({ parallelism: -1, completions: -2, backoffLimit: -3, activeDeadlineSeconds: -4, ttlSecondsAfterFinished: -5 }),
      [
        'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
        'spec.completions: Invalid value: -2: must be greater than or equal to 0',
        'spec.activeDeadlineSeconds: Invalid value: -4: must be greater than or equal to 0',
        'spec.backoffLimit: Invalid value: -3: must be greater than or equal to 0',
        'spec.ttlSecondsAfterFinished: Invalid value: -5: must be greater than or equal to 0',
      ],
    ],
    ['Indexed without completions', job({ completionMode: 'Indexed', parallelism: 2 }), ['spec.completions: Required value: when completion mode is Indexed']],
    ['bad completion mode', job({ completionMode: 'Sometimes' }), ['spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"']],
    ['per-index limit outside Indexed', job({ backoffLimitPerIndex: 1 }), ['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode']],
    [
      'maxFailedIndexes alone',
      job({ completionMode: 'Indexed', completions: 3, maxFailedIndexes: 1 }),
      ['spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified'],
    ],
    [
      'Indexed name too long for pod hostnames',
      { ...job({ completionMode: 'Indexed', completions: 10 }), metadata: { name: 'a'.repeat(62), namespace: 'default', uid: UID } },
      [`metadata.name: Invalid value: "${'a'.repeat(62)}": will not able to create pod with invalid DNS label: ${'a'.repeat(62)}-9`],
    ],
    ['bad replacement policy', job({ podReplacementPolicy: 'Never' }), ['spec.podReplacementPolicy: Unsupported value: "Never": supported values: "Failed", "TerminatingOrFailed"']],
    [
      'failure policy needs restartPolicy Never',
      withTemplate(
        { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'OnFailure' } },
        { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] } },
      ),
      ['spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'],
    ],
    [
      'failure policy rules',
      job({
        podFailurePolicy: {
          rules: [
            { action: 'Retry', onExitCodes: { operator: 'In', values: [0, 3, 2, 2], containerName: 'other' } },
            { action: 'FailIndex', onPodConditions: [{ type: 'DisruptionTarget', status: 'Maybe' }] },
            { action: 'Ignore' },
          ],
        },
      }),
      [
        'spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
        'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "other": must be one of the container or initContainer names in the pod template',
        'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
        'spec.podFailurePolicy.rules[0].onExitCodes.values[3]: Duplicate value: 2',
        'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [0,3,2,2]: must be ordered',
        'spec.podFailurePolicy.rules[1].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
        'spec.podFailurePolicy.rules[1].onPodConditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
        'spec.podFailurePolicy.rules[2]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
      ],
    ],
    ['success policy needs Indexed', job({ successPolicy: { rules: [{ succeededCount: 1 }] } }), ['spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode']],
    [
      'success policy rules',
      job({ completionMode: 'Indexed', completions: 2, successPolicy: { rules: [{}, { succeededCount: 3 }] } }),
      [
        'spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified',
        'spec.successPolicy.rules[1].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of specified completions)',
      ],
    ],
    [
      'succeeded indexes',
      job({ completionMode: 'Indexed', completions: 5, successPolicy: { rules: [{ succeededIndexes: '0,2-4', succeededCount: 4 }, { succeededIndexes: '3,1' }, { succeededIndexes: '1-7', succeededCount: 1 }] } }),
      [
        'spec.successPolicy.rules[1].succeededIndexes: Invalid value: "3,1": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1',
        'spec.successPolicy.rules[2].succeededIndexes: Invalid value: "1-7": error parsing succeededIndexes: too large index: "7"',
        'spec.successPolicy.rules[2].succeededCount: Invalid value: 1: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)',
      ],
    ],
    ['managedBy', job({ managedBy: 'kueue' }), ['spec.managedBy: Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")']],
    ['managedBy ok', job({ managedBy: 'kueue.x-k8s.io/multikueue' }), []],
    ['template labels', withTemplate({ metadata: { labels: { 'bad key!': 'x' } } }), [`spec.template.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`]],
    ['pod rules at template paths', withTemplate({ spec: { containers: [{ name: 'pi' }], restartPolicy: 'Never' } }), ['spec.template.spec.containers[0].image: Required value']],
    [
      'conflicting generated label',
      withTemplate({ metadata: { labels: { 'job-name': 'other' } } }),
      [`spec.template.metadata.labels[job-name]: Invalid value: ${JSON.stringify({ 'job-name': 'other', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': UID, 'batch.kubernetes.io/controller-uid': UID })}: must be 'pi'`],
    ],
    [
      'selector from another Job',
      job({ selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'someone-else' } } }),
      [
        'spec.selector: Invalid value: {"matchLabels":{"batch.kubernetes.io/controller-uid":"someone-else"}}: `selector` not auto-generated',
        `spec.template.metadata.labels: Invalid value: ${JSON.stringify({ 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': UID, 'batch.kubernetes.io/controller-uid': UID })}: \`selector\` does not match template \`labels\``,
      ],
    ],
  ];
  for (const [name, input, want] of cases) t.same(create(jobs, input).errors, want, name);
});

t.test('updates', async (t) => {
  const old = stored(jobs, job({ parallelism: 2, completions: 4 }));
  const edit = (f: (spec: Record<string, unknown>) => void, from: KubeObject = old) => {
    const obj = structuredClone(from);
    f(obj.spec as Record<string, unknown>);
    return update(jobs, obj, from).errors;
  };
  t.same(edit((s) => (s.parallelism = 5)), [], 'parallelism may change');
  t.same(edit((s) => (s.activeDeadlineSeconds = 600)), []);
  t.same(edit((s) => (s.suspend = true)), []);
  t.same(edit((s) => (s.completions = 5)), ['spec.completions: Invalid value: 5: field is immutable']);
  t.same(edit((s) => (s.completionMode = 'Indexed')), ['spec.completionMode: Invalid value: "Indexed": field is immutable']);
  t.match(edit((s) => ((s.template as { spec: { containers: Array<{ image: string }> } }).spec.containers[0]!.image = 'perl:5.40')), [/^spec\.template: Invalid value: .*: field is immutable$/]);
  t.match(edit((s) => (s.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': UID, extra: 'x' } })), [/`selector` not auto-generated$/, /does not match template/, /^spec\.selector: Invalid value: .*: field is immutable$/]);

  const indexed = stored(jobs, job({ completionMode: 'Indexed', completions: 3, parallelism: 3 }));
  t.same(
    edit((s) => Object.assign(s, { completions: 5, parallelism: 5 }), indexed),
    [],
    'elastic Indexed Jobs scale completions with parallelism',
  );
  t.same(edit((s) => (s.completions = 5), indexed), ['spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism']);

  const suspended = stored(jobs, job({ suspend: true }));
  const scheduling = (s: Record<string, unknown>) => {
    const tpl = s.template as { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> };
    tpl.spec.nodeSelector = { disk: 'ssd' };
    tpl.spec.tolerations = [{ key: 'gpu', operator: 'Exists' }];
    tpl.metadata.labels.queue = 'a';
  };
  t.same(edit(scheduling, suspended), [], 'a suspended Job that never started may move');
  t.match(edit(scheduling, old), [/^spec\.template: Invalid value: .*: field is immutable$/]);
  const started = { ...suspended, status: { startTime: minutesAgo(1) } };
  t.match(edit(scheduling, started), [/^spec\.template: Invalid value: .*: field is immutable$/], 'not once started');

  const status = structuredClone(old);
  status.status = { succeeded: -1 };
  t.same(update(jobs, status, old, 'status').errors, ['status.succeeded: Invalid value: -1: must be greater than or equal to 0']);
});

t.test('printer cells and field selector', async (t) => {
  const base = stored(jobs, job());
  const at = (status: Record<string, unknown>, extra: Partial<KubeObject> = {}) => ({ ...base, ...extra, status });
  const selector = `batch.kubernetes.io/controller-uid=${UID}`;
  t.same(cells(jobs, at({})), ['pi', 'Running', '0/1', '', '10m', 'pi', 'perl:5.34', selector]);
  t.same(cells(jobs, at({ startTime: minutesAgo(2), active: 1 }), undefined, false), ['pi', 'Running', '0/1', '2m', '10m']);
  t.same(
    cells(jobs, at({ startTime: minutesAgo(9), completionTime: minutesAgo(8.5), succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }), undefined, false),
    ['pi', 'Complete', '1/1', '30s', '10m'],
  );
  t.same(cells(jobs, at({ conditions: [{ type: 'Failed', status: 'True' }] }), undefined, false)[1], 'Failed');
  t.same(cells(jobs, at({ conditions: [{ type: 'Suspended', status: 'True' }] }), undefined, false)[1], 'Suspended');
  t.same(cells(jobs, at({ conditions: [{ type: 'Suspended', status: 'False' }] }), undefined, false)[1], 'Running');
  t.same(cells(jobs, at({ conditions: [{ type: 'FailureTarget', status: 'True' }] }), undefined, false)[1], 'FailureTarget');
  t.same(cells(jobs, at({ conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }] }), undefined, false)[1], 'SuccessCriteriaMet');
  t.same(cells(jobs, at({}, { metadata: { ...base.metadata, deletionTimestamp: minutesAgo(0) } }), undefined, false)[1], 'Terminating');
  const queue = stored(jobs, job({ parallelism: 3 }));
  t.same(cells(jobs, { ...queue, status: { succeeded: 0 } }, undefined, false)[2], '0/1 of 3');
  const several = stored(jobs, job({ completions: 5, parallelism: 2 }));
  t.same(cells(jobs, { ...several, status: { succeeded: 2 } }, undefined, false)[2], '2/5');

  const field = jobs.selectableFields!['status.successful']!;
  t.equal(field(at({ succeeded: 3 })), '3');
  t.equal(field(at({})), '0');
});
