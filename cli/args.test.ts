import t from 'tap';
import { parseCommandLine } from './args.js';
import { UsageError } from './errors.js';
import { UP_HELP } from './help.js';
import { FLAGS } from './options.js';

t.test('commands', async (t) => {
  t.same(parseCommandLine([]), { kind: 'help', topic: 'main' });
  t.same(parseCommandLine(['--help']), { kind: 'help', topic: 'main' });
  t.same(parseCommandLine(['-h']), { kind: 'help', topic: 'main' });
  t.same(parseCommandLine(['help']), { kind: 'help', topic: 'main' });
  t.same(parseCommandLine(['--version']), { kind: 'version' });
  t.same(parseCommandLine(['up', '--help']), { kind: 'help', topic: 'up' });
  t.same(parseCommandLine(['up', '-h', '--port', '1']), { kind: 'help', topic: 'up' });
  t.match(parseCommandLine(['up']), { kind: 'up', options: { port: 6443 } });
});

t.test('every command-line mistake is a one-line UsageError', async (t) => {
  const cases: Array<[string[], string]> = [
    [['frob'], 'unknown command "frob" (see k8ts --help)'],
    [['--frob'], 'unknown flag --frob (see k8ts --help)'],
    [['--frob=1'], 'unknown flag --frob (see k8ts --help)'],
    [['--version', 'x'], 'unexpected argument "x" after --version'],
    [['up', '--bogus'], 'unknown flag --bogus for "k8ts up" (see k8ts up --help)'],
    [['up', '-x'], 'unknown flag -x for "k8ts up" (see k8ts up --help)'],
    [['up', 'extra'], 'unexpected argument "extra" for "k8ts up" (see k8ts up --help)'],
    [['up', '--', '--port'], 'unexpected argument "--port" for "k8ts up" (see k8ts up --help)'],
    [['up', '--port'], '--port needs a value (see k8ts up --help)'],
    [['up', '--port', '--nodes', '2'], '--port needs a value (see k8ts up --help)'],
    [['up', '--help=yes'], '--help takes no value'],
    [['up', '--port', '1', '--port', '2'], '--port given more than once'],
  ];
  for (const [argv, message] of cases) {
    t.throws(() => parseCommandLine(argv), new UsageError(message), argv.join(' '));
  }
});

t.test('--flag=value and --flag value are the same', async (t) => {
  t.same(parseCommandLine(['up', '--port=7000']), parseCommandLine(['up', '--port', '7000']));
  // an explicitly empty value is a value (and then a bad one)
  t.throws(() => parseCommandLine(['up', '--port=']), { message: '--port must be an integer 0-65535, got ""' });
});

t.test('up --help lists every flag', async (t) => {
  for (const flag of Object.values(FLAGS)) t.match(UP_HELP, `  ${flag} `, flag);
});
