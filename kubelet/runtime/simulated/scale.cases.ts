/**
 * Scale smoke test: 1,000 sandboxes × 30 containers created and started on one runtime
 * (the same work as 1,000 simulated nodes × 30 pods). It reports the duration rather than
 * asserting one; what it does assert is that a steady cluster costs no timers and that
 * everything is listed and torn down. The pods have no log directory: 30,000 log files
 * would measure the disk (tens of seconds on a busy CI box), not the runtime, and
 * output.test.ts covers the writing.
 */
import t from 'tap';
import { FakeClock } from '../../../client/clock.js';
import { createSimulatedRuntime } from './index.js';
import { containerConfig, sandboxConfig, TEST_IMAGE } from './test-support.js';

// K8TS_SCALE_SANDBOXES=1000 for the full 1,000 nodes × 30 pods; CI runs a tenth of it
// (bench:pods measures scale; this only proves the shape holds)
const SANDBOXES = Number(process.env.K8TS_SCALE_SANDBOXES ?? 100);
const CONTAINERS_PER_SANDBOX = 30;

t.test(`${SANDBOXES} sandboxes × ${CONTAINERS_PER_SANDBOX} containers`, async (t) => {
  const clock = new FakeClock();
  // A /16 has room for 1,000 pods.
  const runtime = createSimulatedRuntime({ podCIDR: '10.250.0.0/16', clock });
  t.teardown(() => runtime.close());
  await runtime.pullImage({ image: { image: TEST_IMAGE } });

  const began = performance.now();
  await Promise.all(
    Array.from({ length: SANDBOXES }, async (_, i) => {
      const config = sandboxConfig({ name: `pod-${i}` });
      const { podSandboxId } = await runtime.runPodSandbox({ config, runtimeHandler: '' });
      const starts: Promise<unknown>[] = [];
      for (let c = 0; c < CONTAINERS_PER_SANDBOX; c++) {
        const { containerId } = await runtime.createContainer({ podSandboxId, config: containerConfig(config, `c${c}`), sandboxConfig: config });
        starts.push(runtime.startContainer({ containerId }));
      }
      await Promise.all(starts);
    }),
  );
  const startedMs = performance.now() - began;
  t.comment(`created and started ${SANDBOXES * CONTAINERS_PER_SANDBOX} containers in ${startedMs.toFixed(0)} ms`);

  const listBegan = performance.now();
  const { containers } = await runtime.listContainers({ filter: { state: { state: 'CONTAINER_RUNNING' } } });
  t.comment(`listed them in ${(performance.now() - listBegan).toFixed(1)} ms`);
  t.equal(containers.length, SANDBOXES * CONTAINERS_PER_SANDBOX);
  t.equal(clock.pending, 0, 'running containers cost no timers');

  const removeBegan = performance.now();
  for (const sandbox of (await runtime.listPodSandbox({})).items) await runtime.removePodSandbox({ podSandboxId: sandbox.id });
  t.comment(`removed every sandbox in ${(performance.now() - removeBegan).toFixed(0)} ms`);
  t.equal((await runtime.listContainers({})).containers.length, 0);
});
