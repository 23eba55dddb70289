/**
 * The provider over a fake runtime and a FakeClock: the sampler turns a counter into a
 * rate after one interval, not before; /stats/summary requests do not move the rate;
 * a failing round keeps the cache; stop() ends the loop.
 */
import t from 'tap';
import { FakeClock } from '../../../client/clock.js';
import type { Container, ContainerStats, PodSandbox } from '../../cri/api.js';
import { createSummaryProvider } from './summary-provider.js';

function fakeRuntime(clock: FakeClock) {
  const state = { usedNs: 0, fail: false, statsCalls: 0 };
  const sandbox: PodSandbox = { id: 's1', metadata: { name: 'web', namespace: 'ns1', uid: 'u1', attempt: 0 }, state: 'SANDBOX_READY', createdAt: clock.now() * 1e6, labels: {}, annotations: {}, runtimeHandler: '' };
  const container: Container = { id: 'c1', podSandboxId: 's1', metadata: { name: 'app', attempt: 0 }, image: { image: 'x' }, imageRef: 'x', state: 'CONTAINER_RUNNING', createdAt: clock.now() * 1e6, labels: {}, annotations: {} };
  const runtime = {
    listPodSandbox: async () => ({ items: [sandbox] }),
    listContainers: async () => ({ containers: [container] }),
    listContainerStats: async () => {
      state.statsCalls++;
      if (state.fail) throw new Error('runtime down');
      const s: ContainerStats = {
        attributes: { id: 'c1', metadata: { name: 'app', attempt: 0 }, labels: {}, annotations: {} },
        cpu: { timestamp: clock.now() * 1e6, usageCoreNanoSeconds: { value: state.usedNs } },
        memory: { timestamp: clock.now() * 1e6, workingSetBytes: { value: 4096 } },
      };
      return { stats: [s] };
    },
  };
  return { runtime, state };
}

const rateOf = async (p: ReturnType<typeof createSummaryProvider>) => (await p.summary()).pods[0]?.containers[0]?.cpu?.usageNanoCores;

t.test('the sampler makes a rate from two samples one interval apart', async (t) => {
  const clock = new FakeClock();
  const { runtime, state } = fakeRuntime(clock);
  const warnings: string[] = [];
  const p = createSummaryProvider({ nodeName: 'n1', runtime, clock, samplingIntervalMs: 1000, memoryCapacityBytes: 1 << 20, logger: { warn: (_o, m) => warnings.push(m) } });
  p.start();
  p.start(); // idempotent
  await clock.advance(0);
  t.equal(await rateOf(p), undefined, 'one sample: no rate');
  state.usedNs = 250_000_000;
  // requests between samples do not compute a rate themselves
  t.equal(await rateOf(p), undefined, 'a summary request does not sample');
  await clock.advance(1000);
  t.equal(await rateOf(p), 250_000_000, 'a quarter core over the second');
  const s = await p.summary();
  t.equal(s.node.nodeName, 'n1');
  t.equal(s.node.cpu?.usageNanoCores, 250_000_000);
  t.equal(s.node.memory?.availableBytes, (1 << 20) - 4096);

  state.fail = true;
  await clock.advance(1000);
  t.same(warnings, ['stats: sampling container CPU usage failed'], 'a failed round is logged');
  state.fail = false;
  t.equal(await rateOf(p), 250_000_000, 'and the cache kept its last rate');

  p.stop();
  const calls = state.statsCalls;
  await clock.advance(5000);
  t.equal(state.statsCalls, calls, 'no sampling after stop');
  t.equal(clock.pending, 0, 'no timer left');
});
