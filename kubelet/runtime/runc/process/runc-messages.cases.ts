import t from 'tap';
import { isNotExistMessage, isNotRunningMessage, runcErrorMessage } from './runc-messages.js';

t.test('runcErrorMessage keeps the error-level messages of every output shape runc has', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['json (--log-format json)', '{"level":"error","msg":"container does not exist","time":"2026-11-24T21:20:06Z"}\n', 'container does not exist'],
    ['logrus text', 'time="2026-11-24T21:20:06Z" level=error msg="container does not exist"\n', 'container does not exist'],
    ['logrus text with escapes', 'time="x" level=error msg="runc create failed: exec: \\"/nope\\": stat /nope: no such file or directory"', 'runc create failed: exec: "/nope": stat /nope: no such file or directory'],
    ['plain (stderr when --log FILE)', 'container does not exist\n', 'container does not exist'],
    ['warnings are dropped when an error exists', '{"level":"warning","msg":"a warning"}\n{"level":"error","msg":"the error"}', 'the error'],
    ['duplicates collapse', '{"level":"error","msg":"x"}\n{"level":"error","msg":"x"}', 'x'],
    ['nothing', '\n', ''],
  ];
  for (const [name, input, want] of cases) t.equal(runcErrorMessage(input), want, name);
});

t.test('classifies "nothing left to do" answers', async (t) => {
  t.ok(isNotExistMessage('container does not exist'));
  t.notOk(isNotExistMessage('container not running'));
  t.ok(isNotRunningMessage('container not running'));
  t.ok(isNotRunningMessage('process already finished'));
  t.notOk(isNotRunningMessage('permission denied'));
});
