/**
 * The simulated runtime runs no processes, so exec, attach and port-forward cannot work
 * there — but kubectl must say so clearly, on every transport it tries, instead of
 * hanging or printing a protocol error: "exec is not supported by the simulated runtime".
 */
import t from 'tap';
import { e2eCluster } from './helpers/e2e.js';
import { hasKubectl, kubectlFor } from './helpers/kubectl.js';
import { startKubectlProcess } from './helpers/kubectl-process.js';
import { jsonOf, until } from './helpers/poll.js';

const VERSIONS = ['1.27', '1.30', '1.33'].filter(hasKubectl);

t.test('exec, attach and port-forward on the simulated runtime', { skip: VERSIONS.length === 0 && 'needs kubectl' }, async (t) => {
  const e = await e2eCluster(t, VERSIONS[VERSIONS.length - 1]!, {
    nodes: 1,
    runtime: 'simulated',
    scheduler: {},
    controllers: { leaderElection: false },
    kubelet: { leaseRenewIntervalMs: 500, nodeStatusUpdateFrequencyMs: 500, plegRelistIntervalMs: 200 },
  });
  await e.ok(['run', 'app', '--image=nginx', '--restart=Never']);
  await until(() => jsonOf(e, ['get', 'pod', 'app']), (p) => p?.status?.phase === 'Running');

  for (const version of VERSIONS) {
    await t.test(`kubectl ${version}`, async (t) => {
      const { kubectl, cleanup } = await kubectlFor(version, e.cluster.kubeconfigPath);
      t.teardown(cleanup);
      const exec = await kubectl(['exec', 'app', '--', 'ls']);
      t.not(exec.code, 0, 'exec fails');
      t.match(exec.stderr, /exec is not supported by the simulated runtime/, 'exec says why');
      const attach = await kubectl(['attach', 'app']);
      t.not(attach.code, 0, 'attach fails');
      t.match(attach.stderr, /attach is not supported by the simulated runtime/, 'attach says why');

      const forward = await startKubectlProcess({ version, kubeconfigPath: e.cluster.kubeconfigPath, args: ['port-forward', 'pod/app', ':80'] });
      t.teardown(() => forward.stop());
      await forward.waitFor(/port-forward is not supported by the simulated runtime/);
      t.pass('port-forward says why');
    });
  }
});
