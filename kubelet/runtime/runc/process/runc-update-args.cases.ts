import t from 'tap';
import { runcUpdateArgs } from './runc-update-args.js';

t.test('runcUpdateArgs: only set fields become flags; swap follows memory when asked', async (t) => {
  const cases: Array<[string, Parameters<typeof runcUpdateArgs>[0], boolean, string[]]> = [
    ['nothing set', { cpuPeriod: 0, cpuQuota: 0, cpuShares: 0, memoryLimitInBytes: 0, oomScoreAdj: 5, cpusetCpus: '', cpusetMems: '' }, true, []],
    ['cpu', { cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 512 }, false, ['--cpu-period', '100000', '--cpu-quota', '50000', '--cpu-share', '512']],
    ['memory without swap accounting', { memoryLimitInBytes: 1048576 }, false, ['--memory', '1048576']],
    ['memory with swap = memory', { memoryLimitInBytes: 1048576 }, true, ['--memory', '1048576', '--memory-swap', '1048576']],
    ['cpusets', { cpusetCpus: '0-1', cpusetMems: '0' }, false, ['--cpuset-cpus', '0-1', '--cpuset-mems', '0']],
  ];
  for (const [name, input, swap, want] of cases) t.same(runcUpdateArgs(input, swap), want, name);
});
