import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerStatus } from '../cri/api.js';
import { formatCriLogLine } from '../logs/cri-log-format.js';
import { readTerminationMessage } from './termination-message.js';

const status = (dir: string, exitCode: number, policy: string): ContainerStatus =>
  ({
    id: 'c1',
    exitCode,
    annotations: { 'io.kubernetes.container.terminationMessagePolicy': policy },
    logPath: join(dir, 'main', '0.log'),
  }) as unknown as ContainerStatus;

t.test('the file wins; capped at 4096 bytes', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'msg');
  await writeFile(file, 'x'.repeat(5000));
  t.equal((await readTerminationMessage(status(dir, 1, 'File'), file)).length, 4096);
});

t.test('a missing or empty file is no message under File', async (t) => {
  const dir = t.testdir();
  t.equal(await readTerminationMessage(status(dir, 1, 'File'), join(dir, 'absent')), '');
});

t.test('FallbackToLogsOnError: the log tail after a non-zero exit, nothing after exit 0', async (t) => {
  const dir = t.testdir();
  await mkdir(join(dir, 'main'), { recursive: true });
  const lines = Array.from({ length: 100 }, (_, i) => formatCriLogLine(0, 'stderr', `line ${i}`)).join('');
  await writeFile(join(dir, 'main', '0.log'), lines + formatCriLogLine(0, 'stdout', 'part-', true) + formatCriLogLine(0, 'stdout', 'end'));
  const message = await readTerminationMessage(status(dir, 2, 'FallbackToLogsOnError'), join(dir, 'empty'));
  const got = message.split('\n');
  t.equal(got.length, 80);
  t.equal(got.at(-1), 'part-end', 'partial records are joined');
  t.equal(got[0], 'line 21');
  t.equal(await readTerminationMessage(status(dir, 0, 'FallbackToLogsOnError'), join(dir, 'empty')), '');
});
