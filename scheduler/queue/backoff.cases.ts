import t from 'tap';
import { backoffDuration, isBackingOff } from './backoff.js';
import { newPodInfo } from '../framework/node-info.js';

t.test('backoff doubles per attempt and is capped', async (t) => {
  const cases: { attempts: number; initial: number; max: number; want: number }[] = [
    { attempts: 0, initial: 1000, max: 10000, want: 0 },
    { attempts: 1, initial: 1000, max: 10000, want: 1000 },
    { attempts: 2, initial: 1000, max: 10000, want: 2000 },
    { attempts: 3, initial: 1000, max: 10000, want: 4000 },
    { attempts: 4, initial: 1000, max: 10000, want: 8000 },
    { attempts: 5, initial: 1000, max: 10000, want: 10000 },
    { attempts: 1000, initial: 1000, max: 10000, want: 10000 },
    { attempts: 1, initial: 5000, max: 2000, want: 2000 },
    { attempts: 3, initial: 0, max: 10000, want: 0 },
  ];
  for (const c of cases) {
    t.equal(backoffDuration(c.attempts, { initialBackoffMs: c.initial, maxBackoffMs: c.max }), c.want, `attempts=${c.attempts} initial=${c.initial} max=${c.max}`);
  }
});

t.test('a pod backs off from its timestamp', async (t) => {
  const qpi = { podInfo: newPodInfo({ metadata: { name: 'p', namespace: 'd' } }), initialAttemptTimestamp: 0, timestamp: 1000, attempts: 2, unschedulablePlugins: new Set<string>() };
  const s = { initialBackoffMs: 1000, maxBackoffMs: 10000 };
  t.equal(isBackingOff(qpi, 2999, s), true);
  t.equal(isBackingOff(qpi, 3000, s), false);
});
