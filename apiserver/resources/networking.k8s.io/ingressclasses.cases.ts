import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';
import { ingressclasses } from './ingressclasses.js';

const cls = (spec: unknown): KubeObject => ({ metadata: { name: 'nginx', creationTimestamp: minutesAgo(120) }, spec });

t.test('definition', async (t) => {
  t.match(ingressclasses, { group: 'networking.k8s.io', kind: 'IngressClass', plural: 'ingressclasses', namespaced: false, modelName: 'V1IngressClass' });
});

t.test('defaults', async (t) => {
  t.same(create(ingressclasses, cls({ controller: 'k8s.io/ingress-nginx', parameters: { kind: 'Params', name: 'p' } }), '').obj.spec, {
    controller: 'k8s.io/ingress-nginx',
    parameters: { kind: 'Params', name: 'p', scope: 'Cluster' },
  });
});

t.test('validation', async (t) => {
  const cases: Array<[string, unknown, string[]]> = [
    ['valid', { controller: 'k8s.io/ingress-nginx' }, []],
    ['namespaced parameters', { controller: 'example.com/lb', parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p', scope: 'Namespace', namespace: 'infra' } }, []],
    ['no controller', {}, ['spec.controller: Required value']],
    ['no domain', { controller: 'nginx' }, ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']],
    ['bad path', { controller: 'k8s.io/a b' }, ["spec.controller: Invalid value: \"a b\": must be a valid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"]],
    ['long', { controller: `example.com/${'a'.repeat(250)}` }, ['spec.controller: Too long: may not be more than 250 bytes']],
    ['namespace scope without namespace', { controller: 'k8s.io/x', parameters: { kind: 'P', name: 'p', scope: 'Namespace' } }, ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"]],
    ['cluster scope with namespace', { controller: 'k8s.io/x', parameters: { kind: 'P', name: 'p', namespace: 'x' } }, ["spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"]],
    ['bad scope', { controller: 'k8s.io/x', parameters: { kind: 'P', name: 'p', scope: 'Global' } }, ['spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"']],
    ['no kind or name', { controller: 'k8s.io/x', parameters: {} }, ['spec.parameters.kind: Required value', 'spec.parameters.name: Required value']],
  ];
  for (const [name, spec, want] of cases) t.same(create(ingressclasses, cls(spec), '').errors, want, name);
});

t.test('controller is immutable', async (t) => {
  const old = stored(ingressclasses, cls({ controller: 'k8s.io/ingress-nginx' }));
  t.same(update(ingressclasses, cls({ controller: 'k8s.io/other' }), old).errors, ['spec.controller: Invalid value: "k8s.io/other": field is immutable']);
  t.same(update(ingressclasses, cls({ controller: 'k8s.io/ingress-nginx', parameters: { kind: 'P', name: 'p' } }), old).errors, []);
});

t.test('printer cells', async (t) => {
  t.same(cells(ingressclasses, cls({ controller: 'k8s.io/ingress-nginx' })), ['nginx', 'k8s.io/ingress-nginx', '<none>', '120m']);
  t.same(cells(ingressclasses, cls({ controller: 'k8s.io/x', parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' } }))[2], 'Params.k8s.example.com/p');
  t.same(cells(ingressclasses, cls({ controller: 'k8s.io/x', parameters: { kind: 'ConfigMap', name: 'p' } }))[2], 'ConfigMap/p');
});
