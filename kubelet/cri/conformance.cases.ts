/**
 * The simulated runtime passes the conformance suite over both transports: called
 * directly, and through the unix socket (so the codec and the framing carry every
 * message the suite uses). Time is a FakeClock the suite advances.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import { createSimulatedRuntime } from '../runtime/simulated/index.js';
import { runtimeConformance, type ConformanceRuntime } from './conformance.js';
import { directRuntime } from './direct-runtime.js';
import { connectRuntime } from './socket-client.js';
import { serveRuntime } from './socket-server.js';

const OPTIONS = { spareImage: 'registry.k8ts.test/spare:1' };

async function simulated(): Promise<{ dir: string; clock: FakeClock; impl: ReturnType<typeof createSimulatedRuntime> }> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-cri-'));
  const clock = new FakeClock();
  return { dir, clock, impl: createSimulatedRuntime({ podCIDR: '10.244.7.0/24', clock, nodeName: 'conformance' }) };
}

void runtimeConformance(
  t,
  'simulated, direct',
  async (): Promise<ConformanceRuntime> => {
    const { dir, clock, impl } = await simulated();
    return {
      runtime: directRuntime(impl),
      logRoot: dir,
      passTime: (ms) => clock.advance(ms),
      cleanup: async () => {
        await impl.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  OPTIONS,
);

void runtimeConformance(
  t,
  'simulated, unix socket',
  async (): Promise<ConformanceRuntime> => {
    const { dir, clock, impl } = await simulated();
    const server = await serveRuntime(impl, join(dir, 'runtime.sock'));
    const runtime = await connectRuntime(server.socketPath);
    return {
      runtime,
      logRoot: dir,
      passTime: (ms) => clock.advance(ms),
      cleanup: async () => {
        await runtime.close();
        await server.close();
        await impl.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  OPTIONS,
);
