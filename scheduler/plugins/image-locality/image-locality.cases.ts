import t from 'tap';
import type { V1ContainerImage, V1Node, V1Pod } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { fakeHandle } from '../helpers/fake-handle.js';
import { dockerCanonicalImageName, normalizedImageName } from './image-name.js';
import { ImageLocality, calculatePriority, factory } from './index.js';

const MB = 1024 * 1024;
const node = (name: string, images: V1ContainerImage[]): V1Node => ({ metadata: { name }, status: { images } });
const pod = (images: string[], initImages: string[] = []): V1Pod => ({
  metadata: { name: 'p' },
  spec: { initContainers: initImages.map((image, i) => ({ name: `i${i}`, image })), containers: images.map((image, i) => ({ name: `c${i}`, image })) },
});

// the node set of kube's image_locality_test.go, sizes in MiB
const node403002000 = node('node403002000', [
  { names: ['gcr.io/40:latest', 'gcr.io/40:v1'], sizeBytes: 40 * MB },
  { names: ['gcr.io/300:latest', 'gcr.io/300:v1'], sizeBytes: 300 * MB },
  { names: ['gcr.io/2000:latest'], sizeBytes: 2000 * MB },
]);
const node25010 = node('node25010', [
  { names: ['gcr.io/250:latest'], sizeBytes: 250 * MB },
  { names: ['gcr.io/10:latest', 'gcr.io/10:v1'], sizeBytes: 10 * MB },
]);
const node60040900 = node('node60040900', [
  { names: ['gcr.io/600:latest'], sizeBytes: 600 * MB },
  { names: ['gcr.io/40:latest'], sizeBytes: 40 * MB },
  { names: ['gcr.io/900:latest'], sizeBytes: 900 * MB },
]);
const node300600900 = node('node300600900', [
  { names: ['gcr.io/300:latest'], sizeBytes: 300 * MB },
  { names: ['gcr.io/600:latest'], sizeBytes: 600 * MB },
  { names: ['gcr.io/900:latest'], sizeBytes: 900 * MB },
]);
const node400030 = node('node400030', [
  { names: ['gcr.io/4000:latest'], sizeBytes: 4000 * MB },
  { names: ['gcr.io/30:latest'], sizeBytes: 30 * MB },
]);
const nodeWithNoImages = node('nodeWithNoImages', []);

const cases: { name: string; pod: V1Pod; nodes: V1Node[]; want: number[] }[] = [
  {
    // max = 2 containers * 1000 MiB. node403002000: 40 MiB * 2/3 spread = 26.7 → 0;
    // node25010: 250 * 1/3 = 83.3 → 100 * 60.3 / 1977 = 3
    name: 'two images spread on two nodes, prefer the larger one',
    pod: pod(['gcr.io/40', 'gcr.io/250']),
    nodes: [node403002000, node25010, node60040900],
    want: [0, 3, 0],
  },
  {
    // node403002000: 40*2/3 + 300*1/3 = 126.7 MiB → 5; node25010: 10*1/3 → 0
    name: 'two images, one tagged',
    pod: pod(['gcr.io/40', 'gcr.io/300:v1']),
    nodes: [node403002000, node25010, node60040900],
    want: [5, 0, 0],
  },
  {
    // each image is on 2 of 3 nodes: 300*2/3 = 200 → 8; 600*2/3 = 400 → 19; both = 600 → 29
    name: 'two images on several nodes',
    pod: pod(['gcr.io/300', 'gcr.io/600']),
    nodes: [node403002000, node60040900, node300600900],
    want: [8, 19, 29],
  },
  {
    // 4000 * 1/2 = 2000 MiB, clamped to the 1000 MiB of one container
    name: 'image bigger than the max threshold clamps',
    pod: pod(['gcr.io/4000']),
    nodes: [node400030, nodeWithNoImages],
    want: [100, 0],
  },
  {
    // 2000 + 15 MiB, clamped to 2 * 1000
    name: 'init container images count too',
    pod: pod(['gcr.io/30'], ['gcr.io/4000']),
    nodes: [node400030, nodeWithNoImages],
    want: [100, 0],
  },
  {
    // 30 * 1/2 = 15 MiB, below the 23 MiB minimum
    name: 'a small image scores nothing',
    pod: pod(['gcr.io/30']),
    nodes: [node400030, nodeWithNoImages],
    want: [0, 0],
  },
  {
    name: 'no images anywhere',
    pod: pod(['gcr.io/none']),
    nodes: [node25010, nodeWithNoImages],
    want: [0, 0],
  },
  {
    name: 'short docker name matches the canonical name the node reports',
    pod: pod(['nginx']),
    // 1000 * 1/2 = 500 MiB → 100 * 477 / 977 = 48
    nodes: [node('a', [{ names: ['docker.io/library/nginx:latest'], sizeBytes: 1000 * MB }]), nodeWithNoImages],
    want: [48, 0],
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const infos = c.nodes.map((n) => new NodeInfo(n.metadata!.name!, n));
    const p = factory(undefined, fakeHandle(infos)) as ImageLocality;
    t.same(
      infos.map((info) => p.score(new CycleState(), c.pod, info).score),
      c.want,
    );
  });
}

t.test('calculatePriority', async (t) => {
  t.equal(calculatePriority(0, 1), 0);
  t.equal(calculatePriority(23 * MB, 1), 0);
  t.equal(calculatePriority(1000 * MB, 1), 100);
  t.equal(calculatePriority(5000 * MB, 2), 100);
  t.equal(calculatePriority(511.5 * MB, 1), 50);
});

t.test('image names', async (t) => {
  const table: [string, string, string][] = [
    ['nginx', 'nginx:latest', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['me/app', 'me/app:latest', 'docker.io/me/app:latest'],
    ['docker.io/nginx', 'docker.io/nginx:latest', 'docker.io/library/nginx:latest'],
    ['index.docker.io/me/app:v2', 'index.docker.io/me/app:v2', 'docker.io/me/app:v2'],
    ['localhost:5000/app', 'localhost:5000/app:latest', 'localhost:5000/app:latest'],
    ['127.0.0.1:5000/team/app:v1', '127.0.0.1:5000/team/app:v1', '127.0.0.1:5000/team/app:v1'],
    ['gcr.io/x/y@sha256:abcd', 'gcr.io/x/y@sha256:abcd', 'gcr.io/x/y@sha256:abcd'],
    ['busybox@sha256:abcd', 'busybox@sha256:abcd', 'docker.io/library/busybox@sha256:abcd'],
  ];
  for (const [input, kube, canonical] of table) {
    t.equal(normalizedImageName(input), kube, `kube name of ${input}`);
    t.equal(dockerCanonicalImageName(input), canonical, `canonical name of ${input}`);
  }
});

t.test('uses the image states the cache filled in', async (t) => {
  const info = new NodeInfo('a', node('a', []));
  info.imageStates.set('gcr.io/big:latest', { size: 1000 * MB, numNodes: 1 });
  const p = new ImageLocality(fakeHandle([info]));
  t.equal(p.score(new CycleState(), pod(['gcr.io/big']), info).score, 100);
});
