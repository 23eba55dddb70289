import t from 'tap';
import { ResizeDecoder } from './resize-decoder.js';
import { startIdleTimer } from './idle-timer.js';
import { StreamSessions } from './stream-sessions.js';
import { FakeClock } from '../../../client/clock.js';

t.test('ResizeDecoder: objects split and joined across chunks', async (t) => {
  const text = '{"Width":80,"Height":24}\n{"Width":100,"Height":30}\n{"Width":1,"Height":2}\n';
  for (const step of [1, 3, 7, text.length]) {
    const decoder = new ResizeDecoder();
    const got: unknown[] = [];
    decoder.on('data', (size) => got.push(size));
    for (let i = 0; i < text.length; i += step) decoder.write(Buffer.from(text.slice(i, i + step)));
    decoder.end();
    await new Promise((resolve) => decoder.on('end', resolve));
    t.same(got, [{ width: 80, height: 24 }, { width: 100, height: 30 }, { width: 1, height: 2 }], `chunks of ${step}`);
  }
  const decoder = new ResizeDecoder();
  const got: unknown[] = [];
  decoder.on('data', (size) => got.push(size));
  decoder.write(Buffer.from('{"Width":5,"Height":6}{"Width":"x"}{"Width":7,"Height":8}'));
  t.same(got, [{ width: 5, height: 6 }], 'an undecodable size ends resizing, as kube\'s json.Decoder does');
});

t.test('idle timer: fires only after the timeout with no activity', async (t) => {
  const clock = new FakeClock(0);
  const idle = startIdleTimer(clock, 1000);
  let fired = 0;
  idle.onIdle(() => fired++);
  await clock.advance(600);
  idle.touch();
  await clock.advance(600);
  t.equal(fired, 0, 'activity pushed the deadline out');
  await clock.advance(500);
  t.equal(fired, 1, 'fired once idle for the whole timeout');
  await clock.advance(5000);
  t.equal(fired, 1, 'only once');

  const stopped = startIdleTimer(clock, 1000);
  stopped.onIdle(() => fired++);
  stopped.stop();
  await clock.advance(5000);
  t.equal(fired, 1, 'a stopped timer never fires');
  t.equal(clock.pending, 0, 'no timer left behind');
});

t.test('StreamSessions: by pod, forget, close all', async (t) => {
  const sessions = new StreamSessions();
  const closed: string[] = [];
  sessions.add('ns', 'a', () => closed.push('a1'));
  const forget = sessions.add('ns', 'a', () => closed.push('a2'));
  sessions.add('ns', 'b', () => closed.push('b1'));
  t.equal(sessions.size, 3);
  forget();
  sessions.closePod('ns', 'a');
  t.same(closed, ['a1'], 'only the live session of the deleted pod');
  sessions.closePod('ns', 'zzz');
  sessions.closeAll();
  t.same(closed, ['a1', 'b1']);
  t.equal(sessions.size, 0);
});
