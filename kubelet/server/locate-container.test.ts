import t from 'tap';
import type { Container, ContainerState, RuntimeService } from '../cri/api.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../cri/labels.js';
import { locateContainerInRuntime } from './locate-container.js';

interface Fake {
  id: string;
  pod: string;
  uid: string;
  container: string;
  attempt: number;
  createdAt: number;
  state: ContainerState;
}

function fakeRuntime(items: Fake[]): Pick<RuntimeService, 'listContainers' | 'containerStatus'> {
  const asContainer = (f: Fake): Container => ({
    id: f.id,
    podSandboxId: `sandbox-${f.uid}`,
    metadata: { name: f.container, attempt: f.attempt },
    image: { image: 'busybox' },
    imageRef: 'busybox',
    state: f.state,
    createdAt: f.createdAt,
    labels: { [POD_NAMESPACE_LABEL]: 'default', [POD_NAME_LABEL]: f.pod, [POD_UID_LABEL]: f.uid, [CONTAINER_NAME_LABEL]: f.container },
    annotations: {},
  });
  return {
    listContainers: async ({ filter }) => ({
      containers: items.map(asContainer).filter((c) => Object.entries(filter?.labelSelector ?? {}).every(([k, v]) => c.labels[k] === v)),
    }),
    containerStatus: async ({ containerId }) => {
      const f = items.find((i) => i.id === containerId);
      if (!f) throw new Error('NotFound');
      return { status: { id: f.id, state: f.state, logPath: `/logs/${f.uid}/${f.container}/${f.attempt}.log` } as never, info: {} };
    },
  };
}

t.test('current and previous instances, newest pod only', async (t) => {
  const items: Fake[] = [
    { id: 'old-pod', pod: 'web', uid: 'u0', container: 'app', attempt: 5, createdAt: 1, state: 'CONTAINER_EXITED' },
    { id: 'a0', pod: 'web', uid: 'u1', container: 'app', attempt: 0, createdAt: 10, state: 'CONTAINER_EXITED' },
    { id: 'a1', pod: 'web', uid: 'u1', container: 'app', attempt: 1, createdAt: 20, state: 'CONTAINER_RUNNING' },
    { id: 'side', pod: 'web', uid: 'u1', container: 'sidecar', attempt: 0, createdAt: 15, state: 'CONTAINER_RUNNING' },
    { id: 'lonely', pod: 'one', uid: 'u2', container: 'app', attempt: 0, createdAt: 30, state: 'CONTAINER_EXITED' },
  ];
  const locate = locateContainerInRuntime(fakeRuntime(items));
  // [pod, container, previous, logPath or undefined, running]
  const cases: Array<[string, string, boolean, string | undefined, boolean?]> = [
    ['web', 'app', false, '/logs/u1/app/1.log', true],
    ['web', 'app', true, '/logs/u1/app/0.log', false],
    ['web', 'sidecar', false, '/logs/u1/sidecar/0.log', true],
    ['web', 'sidecar', true, undefined],
    ['one', 'app', false, '/logs/u2/app/0.log', false],
    ['web', 'nope', false, undefined],
    ['nope', 'app', false, undefined],
  ];
  for (const [pod, container, previous, logPath, running] of cases) {
    const found = await locate('default', pod, container, previous);
    const name = `${pod}/${container}${previous ? ' previous' : ''}`;
    t.equal(found?.logPath, logPath, name);
    if (found) t.equal(await found.isRunning(), running, `${name} running`);
  }
  // a container that exits (or is removed) while followed
  const current = await locate('default', 'web', 'app', false);
  items[2]!.state = 'CONTAINER_EXITED';
  t.equal(await current!.isRunning(), false);
  items.splice(2, 1);
  t.equal(await current!.isRunning(), false, 'removed');
});
