import t from 'tap';
import type { KubeObject, LifecycleEnv, ResourceDef } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, testContext, update } from '../core/strategy-harness.js';
import { ingresses } from './ingresses.js';

const backend = { service: { name: 'web', port: { number: 80 } } };
const ing = (spec: unknown, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'web', namespace: 'default', creationTimestamp: minutesAgo(60) },
  spec,
  ...extra,
});
const rule = (paths: unknown[], host?: string) => ({ ...(host ? { host } : {}), http: { paths } });
const path = (p: Record<string, unknown>) => ({ backend, ...p });

t.test('definition', async (t) => {
  t.match(ingresses, { group: 'networking.k8s.io', kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'], namespaced: true, modelName: 'V1Ingress' });
  t.same(
    ingresses.subresources.map((s) => s.name),
    ['status'],
  );
});

t.test('validation', async (t) => {
  const dnsMsg = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  const wildcardMsg = `a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  const cases: Array<[string, unknown, string[]]> = [
    ['valid', { ingressClassName: 'nginx', rules: [rule([path({ path: '/', pathType: 'Prefix' })], 'example.com')] }, []],
    ['default backend only', { defaultBackend: backend }, []],
    ['wildcard host', { rules: [rule([path({ path: '/api', pathType: 'Exact' })], '*.example.com')] }, []],
    ['resource backend', { rules: [rule([{ path: '/', pathType: 'Prefix', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'assets' } } }])] }, []],
    ['implementation specific without path', { rules: [rule([path({ pathType: 'ImplementationSpecific' })])] }, []],
    ['nothing', {}, ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']],
    ['no pathType', { rules: [rule([path({ path: '/' })])] }, ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
    ['bad pathType', { rules: [rule([path({ path: '/', pathType: 'Regex' })])] }, ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"']],
    ['relative path', { rules: [rule([path({ path: 'api', pathType: 'Prefix' })])] }, ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path']],
    ['empty prefix', { rules: [rule([path({ pathType: 'Prefix' })])] }, ['spec.rules[0].http.paths[0].path: Invalid value: "": must be an absolute path']],
    [
      'bad sequences',
      { rules: [rule([path({ path: '/a//b/..', pathType: 'Exact' })])] },
      ["spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/..\": must not contain '//'", "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/..\": cannot end with '/..'"],
    ],
    ['relative implementation specific', { rules: [rule([path({ path: 'x', pathType: 'ImplementationSpecific' })])] }, ['spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path']],
    ['no paths', { rules: [rule([])] }, ['spec.rules[0].http.paths: Required value']],
    ['IP host', { rules: [rule([path({ path: '/', pathType: 'Prefix' })], '10.0.0.1')] }, ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']],
    ['bad host', { rules: [rule([path({ path: '/', pathType: 'Prefix' })], 'Example.com')] }, [`spec.rules[0].host: Invalid value: "Example.com": ${dnsMsg}`]],
    ['bad wildcard', { rules: [rule([path({ path: '/', pathType: 'Prefix' })], 'a.*.com')] }, [`spec.rules[0].host: Invalid value: "a.*.com": ${wildcardMsg}`]],
    ['no backend', { rules: [rule([{ path: '/', pathType: 'Prefix' }])] }, ['spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required']],
    ['both backends', { defaultBackend: { ...backend, resource: { kind: 'A', name: 'b' } } }, ['spec.defaultBackend: Invalid value: "": cannot set both resource and service backends']],
    ['no port', { defaultBackend: { service: { name: 'web' } } }, ['spec.defaultBackend: Required value: port name or number is required']],
    ['both ports', { defaultBackend: { service: { name: 'web', port: { name: 'http', number: 80 } } } }, ['spec.defaultBackend: Invalid value: "": cannot set both port name & port number']],
    ['port number', { defaultBackend: { service: { name: 'web', port: { number: 70000 } } } }, ['spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['port name', { defaultBackend: { service: { name: 'web', port: { name: 'HTTP' } } } }, [
        'spec.defaultBackend.service.port.name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.defaultBackend.service.port.name: Invalid value: "HTTP": must contain at least one letter (a-z)',
      ]],
    ['service name', { defaultBackend: { service: { port: { number: 80 } } } }, ['spec.defaultBackend.service.name: Required value']],
    ['resource kind', { defaultBackend: { resource: { name: 'b' } } }, ['spec.defaultBackend.resource.kind: Required value']],
    ['tls', { defaultBackend: backend, tls: [{ hosts: ['example.com', '*.example.com'], secretName: 'web-tls' }] }, []],
    ['tls host', { defaultBackend: backend, tls: [{ hosts: ['Bad'] }] }, [`spec.tls[0].hosts[0]: Invalid value: "Bad": ${dnsMsg}`]],
    ['tls secret', { defaultBackend: backend, tls: [{ secretName: 'Bad' }] }, [`spec.tls[0].secretName: Invalid value: "Bad": ${dnsMsg}`]],
    ['class name', { defaultBackend: backend, ingressClassName: 'Nginx' }, [`spec.ingressClassName: Invalid value: "Nginx": ${dnsMsg}`]],
  ];
  for (const [name, spec, want] of cases) t.same(create(ingresses, ing(spec)).errors, want, name);
});

t.test('class annotation must agree with the class, on create only', async (t) => {
  const annotated = (cls: string) => ing({ defaultBackend: backend, ingressClassName: 'nginx' }, { metadata: { name: 'web', namespace: 'default', annotations: { 'kubernetes.io/ingress.class': cls } } });
  t.same(create(ingresses, annotated('nginx')).errors, []);
  t.same(create(ingresses, annotated('traefik')).errors, ['annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified']);
  const old = stored(ingresses, ing({ defaultBackend: backend, ingressClassName: 'nginx' }));
  t.same(update(ingresses, annotated('traefik'), old).errors, []);
});

t.test('status addresses', async (t) => {
  const old = stored(ingresses, ing({ defaultBackend: backend }));
  const withStatus = (lb: unknown) => ({ ...old, status: { loadBalancer: { ingress: [lb] } } });
  t.same(update(ingresses, withStatus({ ip: '192.0.2.1' }), old, 'status').errors, []);
  t.same(update(ingresses, withStatus({ ip: 'nope' }), old, 'status').errors, ['status.loadBalancer.ingress[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  t.same(update(ingresses, withStatus({ hostname: '192.0.2.1' }), old, 'status').errors, ['status.loadBalancer.ingress[0].hostname: Invalid value: "192.0.2.1": must be a DNS name, not an IP address']);
});

t.test('default ingress class', async (t) => {
  const classes: KubeObject[] = [
    { metadata: { name: 'old', creationTimestamp: '2025-01-01T00:00:00Z', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } },
    { metadata: { name: 'newer', creationTimestamp: '2025-06-01T00:00:00Z', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } },
    { metadata: { name: 'newest', creationTimestamp: '2025-09-01T00:00:00Z' } },
  ];
  const classDef = { kind: 'IngressClass' } as ResourceDef;
  const env: LifecycleEnv = {
    list: async () => classes,
    get: async () => undefined,
    lookup: (gvk) => (gvk.kind === 'IngressClass' ? classDef : undefined),
    cluster: testContext().cluster,
  };
  const lc = ingresses.lifecycle!(env);
  const classless = ing({ defaultBackend: backend });
  await lc.beforeCreate!(classless, testContext());
  t.equal((classless.spec as { ingressClassName?: string }).ingressClassName, 'newer', 'the newest default class');
  const named = ing({ defaultBackend: backend, ingressClassName: 'mine' });
  await lc.beforeCreate!(named, testContext());
  t.equal((named.spec as { ingressClassName?: string }).ingressClassName, 'mine', 'an explicit class is kept');
  const legacy = ing({ defaultBackend: backend }, { metadata: { name: 'web', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } });
  await lc.beforeCreate!(legacy, testContext());
  t.equal((legacy.spec as { ingressClassName?: string }).ingressClassName, undefined, 'the legacy annotation counts as a class');
  classes.length = 0;
  const none = ing({ defaultBackend: backend });
  await lc.beforeCreate!(none, testContext());
  t.equal((none.spec as { ingressClassName?: string }).ingressClassName, undefined, 'no default class');
});

t.test('printer cells', async (t) => {
  const r = (host: string) => rule([path({ path: '/', pathType: 'Prefix' })], host);
  t.same(cells(ingresses, ing({ ingressClassName: 'nginx', rules: [r('foo.example.com')] })), ['web', 'nginx', 'foo.example.com', '', '80', '60m']);
  t.same(cells(ingresses, ing({ defaultBackend: backend, tls: [{ hosts: ['a.com'] }] })), ['web', '<none>', '*', '', '80, 443', '60m']);
  t.same(cells(ingresses, ing({ rules: [r('a.com'), r('b.com'), r('c.com'), r('d.com'), r('e.com')] }))[2], 'a.com,b.com,c.com + 2 more...');
  t.same(cells(ingresses, ing({ defaultBackend: backend }, { status: { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }, { ip: '10.0.0.1' }] } } }))[3], '10.0.0.1,10.0...', 'sorted, de-duplicated, cut at 16');
  t.same(cells(ingresses, ing({ defaultBackend: backend }, { status: { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { ip: '1.1.1.1' }] } } }))[3], '1.1.1.1,10.0.0.2');
  t.same(cells(ingresses, ing({ defaultBackend: backend }, { status: { loadBalancer: { ingress: [{ hostname: 'a-very-long-load-balancer.example.com' }] } } }))[3], 'a-very-long-l...');
});
