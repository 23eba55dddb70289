/**
 * A small catalogue for tests of the catalogue-driven parts (discovery, OpenAPI, schemas):
 * pods (core/v1, namespaced, with status/binding/eviction/log), nodes (cluster-scoped) and
 * deployments (apps/v1, with status and scale). Strategies are empty; the real ResourceDefs
 * live under apiserver/resources/.
 */
import { Catalogue } from './catalogue.js';
import { ALL_VERBS, type ResourceDef } from './resource-def.js';

const statusVerbs: ResourceDef['verbs'] = ['get', 'patch', 'update'];

export const testPods: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  namespaced: true,
  categories: ['all'],
  verbs: [...ALL_VERBS],
  modelName: 'V1Pod',
  subresources: [
    { name: 'status', verbs: statusVerbs },
    { name: 'binding', kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
    { name: 'eviction', kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
    { name: 'log', verbs: ['get'] },
  ],
  strategy: {},
};

export const testNodes: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1Node',
  subresources: [{ name: 'status', verbs: statusVerbs }],
  strategy: {},
};

export const testDeployments: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  namespaced: true,
  categories: ['all'],
  verbs: [...ALL_VERBS],
  modelName: 'V1Deployment',
  subresources: [
    { name: 'status', verbs: statusVerbs },
    { name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: statusVerbs },
  ],
  strategy: {},
};

export function testCatalogue(extra: ResourceDef[] = []): Catalogue {
  return new Catalogue([testPods, testNodes, testDeployments, ...extra]);
}

/** A namespaced, schemaless ResourceDef with every verb and no rules; `over` changes it. */
export const testDef = (over: Partial<ResourceDef>): ResourceDef => ({
  group: '',
  version: 'v1',
  kind: 'X',
  plural: 'xs',
  singular: 'x',
  shortNames: [],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'NoSuchModel',
  subresources: [],
  strategy: {},
  ...over,
});
