import { resolve } from 'node:path';
import t from 'tap';
import { parseCommandLine } from './args.js';
import { DEFAULTS, resolveClusterOptions, UsageError } from './options.js';

/** `k8ts up <args>` -> the options startCluster would get (throws UsageError). */
const up = (...args: string[]) => {
  const command = parseCommandLine(['up', ...args]);
  if (command.kind !== 'up') throw new Error('not up');
  return command.options;
};

t.test('defaults', async (t) => {
  t.same(up(), {
    dataDir: resolve('./.k8ts'),
    port: 6443,
    address: '127.0.0.1',
    nodes: 1,
    runtime: 'auto',
    store: 'level',
    podCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/12',
    logLevel: 'info',
    tokenAuthFile: '',
    anonymous: false,
    nodeCapacity: 'cpu=4,memory=8Gi,pods=110',
    schedulerConfig: '',
  });
  t.match(resolveClusterOptions({}), { ...DEFAULTS, dataDir: resolve(DEFAULTS.dataDir), podCIDR: { prefix: 16 }, serviceCIDR: { prefix: 12 }, nodeCapacity: { cpu: '4', memory: '8Gi', pods: '110' } });
});

// [flag, value, expected option value] — each accepted
const good: Array<[string, string, unknown]> = [
  ['--data-dir', 'some/dir', resolve('some/dir')],
  ['--data-dir', '/abs/dir', '/abs/dir'],
  ['--port', '0', 0],
  ['--port', '6443', 6443],
  ['--port', '65535', 65535],
  ['--address', '127.0.0.1', '127.0.0.1'],
  ['--address', '0.0.0.0', '0.0.0.0'],
  ['--address', '::1', '::1'],
  ['--nodes', '0', 0],
  ['--nodes', '3', 3],
  ['--nodes', '256', 256],
  ['--runtime', 'auto', 'auto'],
  ['--runtime', 'runc', 'runc'],
  ['--runtime', 'simulated', 'simulated'],
  ['--store', 'level', 'level'],
  ['--store', 'memory', 'memory'],
  ['--pod-cidr', '10.200.0.0/16', '10.200.0.0/16'],
  ['--pod-cidr', '100.64.0.0/10', '100.64.0.0/10'],
  ['--pod-cidr', '192.168.0.0/20', '192.168.0.0/20'],
  ['--service-cidr', '10.96.0.0/16', '10.96.0.0/16'],
  ['--service-cidr', '172.16.0.0/12', '172.16.0.0/12'],
  ['--service-cidr', '10.96.0.0/28', '10.96.0.0/28'],
  ['--token-auth-file', 'tokens.csv', resolve('tokens.csv')],
  ['--token-auth-file', '/etc/k8ts/tokens.csv', '/etc/k8ts/tokens.csv'],
  ['--token-auth-file', '', ''],
  ['--node-capacity', 'cpu=2, memory=1Gi,pods=10', 'cpu=2,memory=1Gi,pods=10'],
  ['--scheduler-config', 'sched.yaml', resolve('sched.yaml')],
  ['--scheduler-config', '/etc/k8ts/scheduler.yaml', '/etc/k8ts/scheduler.yaml'],
  ['--scheduler-config', '', ''],
  ...['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l): [string, string, unknown] => ['--log-level', l, l]),
];

const KEY: Record<string, string> = {
  '--data-dir': 'dataDir',
  '--port': 'port',
  '--address': 'address',
  '--nodes': 'nodes',
  '--runtime': 'runtime',
  '--store': 'store',
  '--pod-cidr': 'podCIDR',
  '--service-cidr': 'serviceCIDR',
  '--log-level': 'logLevel',
  '--token-auth-file': 'tokenAuthFile',
  '--node-capacity': 'nodeCapacity',
  '--scheduler-config': 'schedulerConfig',
};

t.test('--anonymous takes no value; =true and =false also work', async (t) => {
  // [args, anonymous]
  const cases: Array<[string[], boolean]> = [
    [[], false],
    [['--anonymous'], true],
    [['--anonymous=true'], true],
    [['--anonymous=false'], false],
    [['--anonymous', '--port', '7000'], true],
    [['--port', '7000', '--anonymous'], true],
  ];
  for (const [args, anonymous] of cases) t.equal(up(...args).anonymous, anonymous, args.join(' '));
  t.equal(up('--anonymous', '--port', '7000').port, 7000);
});

t.test('good flag values', async (t) => {
  for (const [flag, value, want] of good) {
    t.same((up(flag, value) as Record<string, unknown>)[KEY[flag] ?? ''], want, `${flag} ${value}`);
  }
});

// [args, exact one-line message]
const bad: Array<[string[], string]> = [
  [['--data-dir', ''], '--data-dir must be a directory path, got ""'],
  [['--data-dir', '  '], '--data-dir must be a directory path, got "  "'],
  [['--port', 'abc'], '--port must be an integer 0-65535, got "abc"'],
  [['--port', '-1'], '--port must be an integer 0-65535, got "-1"'],
  [['--port', '65536'], '--port must be an integer 0-65535, got "65536"'],
  [['--port', '1.5'], '--port must be an integer 0-65535, got "1.5"'],
  [['--port', '0x10'], '--port must be an integer 0-65535, got "0x10"'],
  [['--address', 'localhost'], '--address must be an IP address to listen on, got "localhost"'],
  [['--address', '300.1.1.1'], '--address must be an IP address to listen on, got "300.1.1.1"'],
  [['--nodes', 'two'], '--nodes must be a non-negative integer, got "two"'],
  [['--nodes', '-1'], '--nodes must be a non-negative integer, got "-1"'],
  [['--nodes', '257'], '--pod-cidr 10.244.0.0/16 has room for 256 nodes (one /24 each), but --nodes is 257'],
  [['--nodes', '2', '--pod-cidr', '10.1.0.0/24'], '--pod-cidr 10.1.0.0/24 has room for 1 nodes (one /24 each), but --nodes is 2'],
  [['--runtime', 'docker'], '--runtime must be one of auto|runc|simulated, got "docker"'],
  [['--store', 'etcd'], '--store must be one of level|memory, got "etcd"'],
  [['--pod-cidr', '10.244.0.0/25'], '--pod-cidr must be an IPv4 CIDR of /24 or larger (one /24 per node), got "10.244.0.0/25"'],
  [['--pod-cidr', '10.244.0.0'], '--pod-cidr must be an IPv4 CIDR of /24 or larger (one /24 per node), got "10.244.0.0"'],
  [['--pod-cidr', 'fd00::/48'], '--pod-cidr must be an IPv4 CIDR of /24 or larger (one /24 per node), got "fd00::/48"'],
  [['--pod-cidr', '10.244.1.0/16'], '--pod-cidr "10.244.1.0/16" has host bits set (did you mean 10.244.0.0/16?)'],
  [['--pod-cidr', '10.96.0.0/16'], '--pod-cidr 10.96.0.0/16 overlaps --service-cidr 10.96.0.0/12'],
  [['--service-cidr', '10.0.0.0/8'], '--service-cidr must be an IPv4 CIDR from /12 to /28, got "10.0.0.0/8"'],
  [['--service-cidr', '10.96.0.0/29'], '--service-cidr must be an IPv4 CIDR from /12 to /28, got "10.96.0.0/29"'],
  [['--service-cidr', 'nope'], '--service-cidr must be an IPv4 CIDR from /12 to /28, got "nope"'],
  [['--service-cidr', '10.96.0.1/12'], '--service-cidr "10.96.0.1/12" has host bits set (did you mean 10.96.0.0/12?)'],
  [['--service-cidr', '10.244.0.0/16'], '--pod-cidr 10.244.0.0/16 overlaps --service-cidr 10.244.0.0/16'],
  [['--anonymous=yes'], '--anonymous must be true or false, got "yes"'],
  [['--anonymous', '--anonymous'], '--anonymous given more than once'],
  [['--node-capacity', 'cpu=four'], '--node-capacity: "four" is not a quantity for cpu'],
  [['--scheduler-config'], '--scheduler-config needs a value (see k8ts up --help)'],
  [['--scheduler-config', 'a.yaml', '--scheduler-config', 'b.yaml'], '--scheduler-config given more than once'],
  [['--log-level', 'verbose'], '--log-level must be one of fatal|error|warn|info|debug|trace|silent, got "verbose"'],
];

t.test('bad flag values: one line naming the flag and the value', async (t) => {
  for (const [args, message] of bad) {
    t.throws(() => up(...args), new UsageError(message), args.join(' '));
    t.notMatch(message, /\n/);
  }
});

t.test('startCluster options are validated by the same code, named as options', async (t) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ port: 70000 }, 'port must be an integer 0-65535, got 70000'],
    [{ port: 1.5 }, 'port must be an integer 0-65535, got 1.5'],
    [{ port: '80' }, ''], // digit strings are accepted from JavaScript callers too
    [{ nodes: -2 }, 'nodes must be a non-negative integer, got -2'],
    [{ store: 'etcd' }, 'store must be one of level|memory, got "etcd"'],
    [{ dataDir: 42 }, 'dataDir must be a directory path, got 42'],
    [{ podCIDR: '10.96.0.0/16' }, 'podCIDR 10.96.0.0/16 overlaps serviceCIDR 10.96.0.0/12'],
    [{ anonymous: true }, ''],
    [{ anonymous: 'yes' }, 'anonymous must be true or false, got "yes"'],
    [{ anonymous: 1 }, 'anonymous must be true or false, got 1'],
    [{ tokenAuthFile: 'tokens.csv' }, ''],
    [{ tokenAuthFile: 7 }, 'tokenAuthFile must be a file path, got 7'],
    [{ schedulerConfig: 'sched.yaml' }, ''],
    [{ schedulerConfig: false }, 'schedulerConfig must be a file path, got false'],
  ];
  for (const [options, message] of cases) {
    if (message === '') t.doesNotThrow(() => resolveClusterOptions(options), JSON.stringify(options));
    else t.throws(() => resolveClusterOptions(options), new UsageError(message), JSON.stringify(options));
  }
});
