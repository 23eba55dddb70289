/**
 * Generators of malformed and oversized API requests for test/hostile-input.test.ts.
 *
 * Everything is driven by a seeded PRNG so a failure reproduces exactly: the failing
 * case's label (category, index, method, path) is enough to find it again.
 */

export interface HostileCase {
  category: string;
  /** short description of what is wrong with the request */
  label: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** send the body with Transfer-Encoding: chunked (no Content-Length) */
  chunked?: boolean;
  /**
   * '4xx': must be rejected with a 4xx Status.
   * 'not5xx': kube itself may accept it (e.g. an ignored query parameter on a read);
   * then only "no 5xx, and any error is a Status" is asserted.
   */
  expect: '4xx' | 'not5xx';
}

/** Where a kind lives; taken from the catalogue so every built-in kind can be targeted. */
export interface KindTarget {
  kind: string;
  apiVersion: string;
  /** the collection URL (in namespace default when namespaced) */
  collection: string;
  namespaced: boolean;
  /** how the kind's names are validated: RBAC kinds take almost any path segment */
  nameRule: 'dns1123-subdomain' | 'dns1123-label' | 'path-segment' | string;
}

/** mulberry32: tiny, fast and good enough to pick test inputs reproducibly. */
export function prng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    bytes: (n) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
      return b;
    },
  };
}

export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  bytes(n: number): Buffer;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const YAML_TYPE = { 'content-type': 'application/yaml' };
const PROTOBUF_TYPE = { 'content-type': 'application/vnd.kubernetes.protobuf' };
const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const objectURL = (k: KindTarget, name: string) => `${k.collection}/${name}`;
const minimal = (k: KindTarget, metadata: Record<string, unknown>) => ({ apiVersion: k.apiVersion, kind: k.kind, metadata });

/** a body whose JSON nests `depth` levels deep inside an otherwise plausible object */
function deepBody(k: KindTarget, depth: number, open: string, close: string): Buffer {
  const head = `{"apiVersion":"${k.apiVersion}","kind":"${k.kind}","metadata":{"name":"deep"},"data":`;
  return Buffer.from(head + open.repeat(depth) + '1' + close.repeat(depth) + '}');
}

/** Bodies that are not JSON, or JSON that is not an object. */
function badJsonBodies(k: KindTarget, rng: Rng): Array<[string, Buffer]> {
  const good = JSON.stringify(minimal(k, { name: 'good' }));
  const cut = 1 + rng.int(good.length - 2);
  return [
    ['truncated', Buffer.from(good.slice(0, cut))],
    ['trailing garbage', Buffer.from(good + '}}garbage')],
    ['two objects', Buffer.from(good + good)],
    ['array', Buffer.from('[' + good + ']')],
    ['string', Buffer.from('"hello"')],
    ['number', Buffer.from('42')],
    ['null', Buffer.from('null')],
    ['true', Buffer.from('true')],
    ['single quotes', Buffer.from(good.replaceAll('"', "'"))],
    ['NaN value', Buffer.from(good.replace('"good"', 'NaN'))],
    ['comment', Buffer.from('/* c */' + good)],
    ['lone surrogate escape in a label key', json(minimal(k, { name: 'x', labels: { '\ud800': 'v' } }))],
    ['invalid UTF-8', Buffer.concat([Buffer.from(good.slice(0, -2)), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')])],
    ['NUL bytes', Buffer.from(good.replace('good', 'go\u0000od'))],
    ['metadata is a string', json({ apiVersion: k.apiVersion, kind: k.kind, metadata: 'x' })],
    ['metadata is an array', json({ apiVersion: k.apiVersion, kind: k.kind, metadata: [] })],
    ['name is a number', json(minimal(k, { name: 12 }))],
    ['labels is an array', json(minimal(k, { name: 'x', labels: ['a'] }))],
    ['label value is an object', json(minimal(k, { name: 'x', labels: { a: { b: 1 } } }))],
    ['kind is a number', json({ apiVersion: k.apiVersion, kind: 5, metadata: { name: 'x' } })],
    ['deep objects 12k', deepBody(k, 12_000, '{"a":', '}')],
    ['deep arrays 20k', deepBody(k, 20_000, '[', ']')],
    ['deep unterminated', Buffer.from('['.repeat(50_000))],
    ['huge label key 1 MiB', json(minimal(k, { name: 'x', labels: { ['a'.repeat(1 << 20)]: 'v' } }))],
    ['huge label value', json(minimal(k, { name: 'x', labels: { a: 'b'.repeat(300_000) } }))],
    ['empty object', Buffer.from('{}')],
    ['whitespace only', Buffer.from(' \n\t ')],
  ];
}

/**
 * "Billion laughs": `levels` anchors, each a list of ten aliases of the one before, so the
 * document expands to 10^levels nodes. The parser must refuse to expand it (the yaml
 * package caps alias expansion), not try; kube's go-yaml has a similar alias budget.
 */
export function laughsYaml(levels: number, indent = ''): string {
  const lines = [`${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let i = 1; i < levels; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${indent}${cur}: &${cur} [${Array(10).fill('*' + prev).join(',')}]`);
  }
  return lines.join('\n') + '\n';
}

/** YAML that must not parse, or that expands without bound. */
function badYamlBodies(k: KindTarget): Array<[string, Buffer]> {
  const laughs = laughsYaml(9);
  const head = `apiVersion: ${k.apiVersion}\nkind: ${k.kind}\n`;
  return [
    ['tabs for indentation', Buffer.from(head + 'metadata:\n\tname: x\n')],
    ['billion laughs', Buffer.from(head + 'metadata:\n  name: x\n' + laughs)],
    ['billion laughs in labels', Buffer.from(head + 'metadata:\n  name: x\n  labels:\n' + laughsYaml(9, '    '))],
    ['undefined alias', Buffer.from(head + 'metadata: *nope\n')],
    ['unclosed flow', Buffer.from(head + 'metadata: {name: x\n')],
    ['scalar document', Buffer.from('just a string\n')],
    ['sequence document', Buffer.from('- a\n- b\n')],
    ['multiple documents', Buffer.from(head + 'metadata: {name: x}\n---\n' + head + 'metadata: {name: y}\n')],
    ['bad indentation', Buffer.from(head + 'metadata:\n  name: x\n bad: y\n')],
    ['duplicate mapping key', Buffer.from(head + 'metadata:\n  name: x\n  name: y\n')],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x3a, 0x0a, 0x09, 0x7b])],
  ];
}

/** Protobuf bodies: random bytes with and without the k8s\0 magic, truncated envelopes. */
function badProtobufBodies(rng: Rng): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (let i = 0; i < 6; i++) out.push([`random ${i}`, rng.bytes(1 + rng.int(200))]);
  for (let i = 0; i < 6; i++) out.push([`magic + random ${i}`, Buffer.concat([PROTOBUF_MAGIC, rng.bytes(rng.int(200))])]);
  // field 1 (TypeMeta), length 100 but only a few bytes follow
  out.push(['truncated envelope', Buffer.concat([PROTOBUF_MAGIC, Buffer.from([0x0a, 0x64, 0x0a, 0x02, 0x76])])]);
  out.push(['magic only', PROTOBUF_MAGIC]);
  out.push(['partial magic', PROTOBUF_MAGIC.subarray(0, 3)]);
  // a varint length that never ends
  out.push(['endless varint', Buffer.concat([PROTOBUF_MAGIC, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])])]);
  // TypeMeta naming a kind nobody knows, raw = garbage
  const typeMeta = Buffer.from([0x0a, 0x02, 0x76, 0x31, 0x12, 0x04, 0x4e, 0x6f, 0x70, 0x65]);
  out.push(['unknown kind', Buffer.concat([PROTOBUF_MAGIC, Buffer.from([0x0a, typeMeta.length]), typeMeta, Buffer.from([0x12, 0x03, 0xff, 0xff, 0xff])])]);
  out.push(['huge declared length', Buffer.concat([PROTOBUF_MAGIC, Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f])])]);
  return out;
}

/** write verbs that take a body: create on the collection, update on a (missing or real) object */
function writeTargets(k: KindTarget, existing: string | undefined): Array<['POST' | 'PUT', string]> {
  return [
    ['POST', k.collection],
    ['PUT', objectURL(k, existing ?? 'hostile-missing')],
  ];
}

export function bodyCases(kinds: KindTarget[], existing: Map<string, string>, rng: Rng): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const k of kinds) {
    for (const [method, path] of writeTargets(k, existing.get(k.kind))) {
      for (const [label, body] of badJsonBodies(k, rng)) cases.push({ category: 'bad JSON', label: `${k.kind} ${label}`, method, path, headers: JSON_TYPE, body, expect: '4xx' });
      for (const [label, body] of badYamlBodies(k)) cases.push({ category: 'bad YAML', label: `${k.kind} ${label}`, method, path, headers: YAML_TYPE, body, expect: '4xx' });
      for (const [label, body] of badProtobufBodies(rng)) cases.push({ category: 'bad protobuf', label: `${k.kind} ${label}`, method, path, headers: PROTOBUF_TYPE, body, expect: '4xx' });
    }
  }
  return cases;
}

/** kube-apiserver refuses bodies over 3 MiB with 413; a few, since each is megabytes */
export function oversizedCases(kinds: KindTarget[]): HostileCase[] {
  const limit = 3 * 1024 * 1024;
  const cases: HostileCase[] = [];
  for (const k of kinds.slice(0, 3)) {
    const padding = 'x'.repeat(limit);
    const body = json({ ...minimal(k, { name: 'big' }), data: { big: padding } });
    cases.push({ category: 'oversized', label: `${k.kind} 3 MiB+ JSON`, method: 'POST', path: k.collection, headers: JSON_TYPE, body, expect: '4xx' });
    cases.push({ category: 'oversized', label: `${k.kind} 3 MiB+ chunked`, method: 'POST', path: k.collection, headers: JSON_TYPE, body, chunked: true, expect: '4xx' });
    cases.push({ category: 'oversized', label: `${k.kind} 3 MiB+ PUT`, method: 'PUT', path: objectURL(k, 'big'), headers: JSON_TYPE, body, expect: '4xx' });
  }
  return cases;
}

/** names no kind accepts (RBAC's path-segment rule refuses only these) */
const BAD_NAMES_ANY = ['', '.', '..', 'a/b', 'a%b', 'a\u0000b'];
/** names DNS-1123 subdomains refuse, on top of those */
const BAD_NAMES_DNS = ['UPPER', 'has space', 'under_score', '-lead', 'trail-', 'a'.repeat(254), 'ünïcode', '%2F'];
/** a valid subdomain with over-long labels: only DNS-1123 label kinds (namespaces, services) refuse it */
const BAD_NAMES_LABEL = ['x'.repeat(64), 'a.b'];

function badNames(k: KindTarget): string[] {
  if (k.nameRule === 'path-segment') return BAD_NAMES_ANY;
  if (k.nameRule === 'dns1123-label') return [...BAD_NAMES_ANY, ...BAD_NAMES_DNS, ...BAD_NAMES_LABEL];
  return [...BAD_NAMES_ANY, ...BAD_NAMES_DNS];
}
const BAD_LABELS: Array<Record<string, unknown>> = [
  { '': 'v' },
  { 'a/b/c': 'v' },
  { 'bad key': 'v' },
  { k: 'bad value' },
  { k: 'v'.repeat(64) },
  { ['p'.repeat(254) + '/k']: 'v' },
  { '/k': 'v' },
  { k: '-v' },
  { k: 5 },
];
const BAD_ANNOTATIONS: Array<Record<string, unknown>> = [{ '': 'v' }, { 'bad key': 'v' }, { k: 'v'.repeat(256 * 1024 + 1) }, { k: 7 }];

/** well-formed JSON objects that kube must refuse: bad metadata, wrong kind, mismatched names */
export function objectCases(kinds: KindTarget[], existing: Map<string, string>, rng: Rng): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (k: KindTarget, label: string, method: 'POST' | 'PUT', path: string, body: unknown, query = '') =>
    cases.push({ category: 'invalid objects', label: `${k.kind} ${label}`, method, path: path + query, headers: JSON_TYPE, body: json(body), expect: '4xx' });
  for (const k of kinds) {
    for (const name of badNames(k)) add(k, `name ${JSON.stringify(name.slice(0, 20))}`, 'POST', k.collection, minimal(k, { name }));
    for (const labels of BAD_LABELS) add(k, `labels ${JSON.stringify(labels).slice(0, 40)}`, 'POST', k.collection, minimal(k, { name: 'hostile-l', labels }));
    for (const annotations of BAD_ANNOTATIONS) add(k, `annotations ${JSON.stringify(annotations).slice(0, 40)}`, 'POST', k.collection, minimal(k, { name: 'hostile-a', annotations }));
    add(k, 'wrong kind', 'POST', k.collection, { apiVersion: k.apiVersion, kind: k.kind === 'Secret' ? 'ConfigMap' : 'Secret', metadata: { name: 'hostile-k' } });
    add(k, 'wrong apiVersion', 'POST', k.collection, { apiVersion: 'nope.example.com/v9', kind: k.kind, metadata: { name: 'hostile-v' } });
    add(k, 'apiVersion without kind', 'POST', k.collection, { apiVersion: 'v1', kind: '', metadata: { name: 'hostile-v' } });
    add(k, 'neither name nor generateName', 'POST', k.collection, minimal(k, {}));
    if (k.nameRule !== 'path-segment') {
      add(k, 'generateName invalid', 'POST', k.collection, minimal(k, { generateName: 'BAD_' }));
      add(k, 'generateName too long', 'POST', k.collection, minimal(k, { generateName: 'g'.repeat(300) }));
    }
    add(k, 'generateName with a slash', 'POST', k.collection, minimal(k, { generateName: 'a/' }));
    add(k, 'generateName not a string', 'POST', k.collection, minimal(k, { generateName: ['x'] }));
    add(k, 'unknown field under Strict', 'POST', k.collection, { ...minimal(k, { name: 'hostile-u' }), bogusField: rng.int(1000) }, '?fieldValidation=Strict');
    add(k, 'unknown metadata field under Strict', 'POST', k.collection, minimal(k, { name: 'hostile-u', bogus: true }), '?fieldValidation=Strict');
    cases.push({
      category: 'invalid objects',
      label: `${k.kind} duplicate key under Strict`,
      method: 'POST',
      path: k.collection + '?fieldValidation=Strict',
      headers: JSON_TYPE,
      body: Buffer.from(`{"apiVersion":"${k.apiVersion}","kind":"${k.kind}","metadata":{"name":"hostile-d","name":"hostile-e"}}`),
      expect: '4xx',
    });
    const target = existing.get(k.kind) ?? 'hostile-missing';
    add(k, 'body name differs from URL', 'PUT', objectURL(k, target), minimal(k, { name: target + '-other' }));
    add(k, 'PUT without name', 'PUT', objectURL(k, target), minimal(k, {}));
    if (k.namespaced) {
      add(k, 'namespace differs from URL', 'POST', k.collection, minimal(k, { name: 'hostile-n', namespace: 'kube-system' }));
      add(k, 'invalid namespace in body', 'POST', k.collection, minimal(k, { name: 'hostile-n', namespace: 'Bad_NS' }));
      add(k, 'invalid namespace in URL', 'POST', k.collection.replace('/namespaces/default/', '/namespaces/Bad_NS/'), minimal(k, { name: 'hostile-n' }));
      add(k, 'missing namespace', 'POST', k.collection.replace('/namespaces/default/', '/namespaces/hostile-absent/'), minimal(k, { name: 'hostile-n' }));
    }
  }
  return cases;
}

const BAD_QUERIES: Array<[string, 'GET-list' | 'GET-object' | 'DELETE' | 'POST', '4xx' | 'not5xx']> = [
  ['labelSelector=a%20in%20(', 'GET-list', '4xx'],
  ['labelSelector=!!!', 'GET-list', '4xx'],
  ['labelSelector=a%3D%3D%3Db', 'GET-list', '4xx'],
  ['labelSelector=' + 'x'.repeat(70) + '%3Dy', 'GET-list', '4xx'],
  ['fieldSelector=nosuchfield%3Dx', 'GET-list', '4xx'],
  ['fieldSelector=metadata.name%3D%3D%3D', 'GET-list', '4xx'],
  ['fieldSelector=metadata.name%20in%20(a)', 'GET-list', '4xx'],
  ['limit=abc', 'GET-list', '4xx'],
  ['limit=-1', 'GET-list', 'not5xx'],
  ['limit=99999999999999999999999', 'GET-list', '4xx'],
  ['continue=garbage', 'GET-list', '4xx'],
  ['continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ', 'GET-list', '4xx'],
  ['limit=1&continue=%FF%FE', 'GET-list', '4xx'],
  ['resourceVersion=abc', 'GET-list', '4xx'],
  ['resourceVersion=abc', 'GET-object', '4xx'],
  ['resourceVersion=-5&resourceVersionMatch=Exact', 'GET-list', '4xx'],
  ['resourceVersionMatch=Bogus&resourceVersion=1', 'GET-list', '4xx'],
  ['timeoutSeconds=abc', 'GET-list', '4xx'],
  ['watch=true&timeoutSeconds=abc', 'GET-list', '4xx'],
  ['watch=maybe', 'GET-list', '4xx'],
  ['dryRun=Foo', 'POST', '4xx'],
  ['dryRun=Foo', 'DELETE', '4xx'],
  ['fieldValidation=Foo', 'POST', '4xx'],
  ['propagationPolicy=Foo', 'DELETE', '4xx'],
  ['gracePeriodSeconds=abc', 'DELETE', '4xx'],
  ['gracePeriodSeconds=-1e99', 'DELETE', '4xx'],
  ['fieldManager=' + 'm'.repeat(200), 'POST', '4xx'],
  ['pretty=%ZZ', 'GET-list', 'not5xx'],
  ['%ZZ=%ZZ', 'GET-list', 'not5xx'],
];

/**
 * Query parameter garbage. POSTs carry an otherwise valid object, so only the parameter
 * stands between them and a write: a 2xx there is a bug the store comparison also catches.
 */
export function queryCases(kinds: KindTarget[], existing: Map<string, string>): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const k of kinds) {
    const target = existing.get(k.kind) ?? 'hostile-missing';
    for (const [query, where, expect] of BAD_QUERIES) {
      const base = { category: 'bad query', label: `${k.kind} ${where} ${query.slice(0, 50)}`, headers: JSON_TYPE, expect };
      if (where === 'GET-list') cases.push({ ...base, method: 'GET', path: `${k.collection}?${query}` });
      else if (where === 'GET-object') cases.push({ ...base, method: 'GET', path: `${objectURL(k, target)}?${query}` });
      else if (where === 'DELETE') cases.push({ ...base, method: 'DELETE', path: `${objectURL(k, target)}?${query}` });
      else cases.push({ ...base, method: 'POST', path: `${k.collection}?${query}`, body: json(minimal(k, { name: 'hostile-q' })) });
    }
  }
  return cases;
}

const JSON_PATCHES: Array<[string, string]> = [
  ['not an array', '{"op":"add"}'],
  ['unknown op', '[{"op":"frobnicate","path":"/metadata/labels"}]'],
  ['missing path', '[{"op":"add","value":1}]'],
  ['path without slash', '[{"op":"add","path":"metadata","value":1}]'],
  ['remove missing', '[{"op":"remove","path":"/nope/deeper"}]'],
  ['test fails', '[{"op":"test","path":"/metadata/name","value":"not-the-name"}]'],
  ['move from missing', '[{"op":"move","from":"/nope","path":"/x"}]'],
  ['bad array index', '[{"op":"add","path":"/metadata/finalizers/99","value":"x"}]'],
  ['change name', '[{"op":"replace","path":"/metadata/name","value":"Bad_Name"}]'],
  ['truncated', '[{"op":"add","path":"/met'],
  ['bad escape', '[{"op":"add","path":"/metadata/labels/a~2b","value":"x"}]'],
];
const MERGE_PATCHES: Array<[string, string]> = [
  ['array', '[1,2]'],
  ['string', '"x"'],
  ['truncated', '{"metadata":{'],
  ['bad label', '{"metadata":{"labels":{"bad key":"v"}}}'],
  ['change kind', '{"kind":"Nope"}'],
  ['rename', '{"metadata":{"name":"other"}}'],
];
const STRATEGIC_PATCHES: Array<[string, string]> = [
  ['bad $patch', '{"$patch":"frobnicate"}'],
  ['bad $retainKeys', '{"metadata":{"$retainKeys":5}}'],
  ['bad $deleteFromPrimitiveList', '{"metadata":{"$deleteFromPrimitiveList/finalizers":"x"}}'],
  ['bad $setElementOrder', '{"metadata":{"$setElementOrder/finalizers":{"a":1}}}'],
  ['array', '[]'],
];
const APPLY_PATCHES: Array<[string, string, string]> = [
  ['broken YAML', 'metadata:\n\tname: x\n', '?fieldManager=hostile'],
  ['no fieldManager', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', ''],
  ['billion laughs', laughsYaml(8), '?fieldManager=hostile'],
  ['scalar', 'hello\n', '?fieldManager=hostile'],
  ['wrong kind', 'apiVersion: v1\nkind: Nope\nmetadata:\n  name: x\n', '?fieldManager=hostile'],
];

/** Patches that do not apply or are malformed, for each patch content type. */
export function patchCases(kinds: KindTarget[], existing: Map<string, string>): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (k: KindTarget, type: string, label: string, path: string, body: string) =>
    cases.push({ category: 'bad patch', label: `${k.kind} ${type} ${label}`, method: 'PATCH', path, headers: { 'content-type': type }, body: Buffer.from(body), expect: '4xx' });
  for (const k of kinds) {
    const url = objectURL(k, existing.get(k.kind) ?? 'hostile-missing');
    for (const [label, body] of JSON_PATCHES) add(k, 'application/json-patch+json', label, url, body);
    for (const [label, body] of MERGE_PATCHES) add(k, 'application/merge-patch+json', label, url, body);
    for (const [label, body] of STRATEGIC_PATCHES) add(k, 'application/strategic-merge-patch+json', label, url, body);
    // cluster-scoped objects have their namespace cleared, as kube does, so only namespaced ones refuse this
    if (k.namespaced) add(k, 'application/strategic-merge-patch+json', 'bad namespace', url, '{"metadata":{"namespace":"Bad_NS"}}');
    for (const [label, body, query] of APPLY_PATCHES) add(k, 'application/apply-patch+yaml', label, url + query, body);
    add(k, 'application/json', 'plain JSON content type', url, '{"metadata":{"labels":{"a":"b"}}}');
    add(k, 'text/plain', 'text content type', url, '{}');
    cases.push({ category: 'bad patch', label: `${k.kind} empty patch body`, method: 'PATCH', path: url, headers: { 'content-type': 'application/merge-patch+json' }, expect: '4xx' });
    cases.push({ category: 'bad patch', label: `${k.kind} patch on collection`, method: 'PATCH', path: k.collection, headers: { 'content-type': 'application/merge-patch+json' }, body: Buffer.from('{}'), expect: '4xx' });
  }
  return cases;
}

const WRONG_TYPES = ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json-patch+json', 'application/apply-patch+yaml', 'image/png', ';;;', 'application/vnd.kubernetes.protobuf;stream=watch'];
/** paths that route nowhere or cannot be decoded; collections get no DELETE (that is deletecollection) */
const GARBAGE_PATHS = [
  '/api/v1/namespaces/default/%ZZ',
  '/api/v1/namespaces/%/configmaps',
  '/api/v1/namespaces/default/configmaps/%c3%28',
  '/api/v1/namespaces/default/configmaps/%00',
  '/api/v1/namespaces/default/configmaps/a%2Fb',
  '/api/v1/namespaces/default/configmaps/..%2F..%2Fsecrets',
  '/api/v1/namespaces/default/configmaps/a/b/c/d/e',
  '/apis/%E0%A4%A/v1/x',
  '/api/v9/pods',
  '/apis/nope.example.com/v1/widgets',
  '/api/v1/' + 'a/'.repeat(500),
];

/** wrong content types, missing bodies, methods on wrong paths, percent-encoding garbage */
export function routingCases(kinds: KindTarget[], existing: Map<string, string>): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (c: Omit<HostileCase, 'category' | 'expect'>, expect: '4xx' | 'not5xx' = '4xx') => cases.push({ category: 'routing and media types', expect, ...c });
  for (const k of kinds) {
    const target = objectURL(k, existing.get(k.kind) ?? 'hostile-missing');
    const body = json(minimal(k, { name: 'hostile-r' }));
    for (const type of WRONG_TYPES) add({ label: `${k.kind} POST as ${type}`, method: 'POST', path: k.collection, headers: { 'content-type': type }, body });
    add({ label: `${k.kind} POST without body`, method: 'POST', path: k.collection, headers: JSON_TYPE });
    add({ label: `${k.kind} PUT without body`, method: 'PUT', path: target, headers: JSON_TYPE });
    add({ label: `${k.kind} POST without content type`, method: 'POST', path: k.collection, headers: {}, body: Buffer.from('not json') });
    add({ label: `${k.kind} collection PUT`, method: 'PUT', path: k.collection, headers: JSON_TYPE, body });
    add({ label: `${k.kind} POST to an object`, method: 'POST', path: target, headers: JSON_TYPE, body });
    for (const sub of ['nosuchsub', 'status/extra', 'scale/scale', '..', '%2e%2e']) {
      add({ label: `${k.kind} GET /${sub}`, method: 'GET', path: `${target}/${sub}`, headers: {} });
      add({ label: `${k.kind} PUT /${sub}`, method: 'PUT', path: `${target}/${sub}`, headers: JSON_TYPE, body });
    }
    add({ label: `${k.kind} POST to status`, method: 'POST', path: `${target}/status`, headers: JSON_TYPE, body });
    add({ label: `${k.kind} DELETE missing`, method: 'DELETE', path: objectURL(k, 'hostile-missing'), headers: {} });
    add({ label: `${k.kind} DELETE with bad body`, method: 'DELETE', path: target, headers: JSON_TYPE, body: Buffer.from('{"propagationPolicy":') });
    add({ label: `${k.kind} DELETE with wrong preconditions`, method: 'DELETE', path: target, headers: JSON_TYPE, body: json({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-the-uid' } }) });
    add({ label: `${k.kind} DELETE with bad options kind`, method: 'DELETE', path: target, headers: JSON_TYPE, body: json({ kind: 'Pod', apiVersion: 'v1' }) });
  }
  for (const path of GARBAGE_PATHS) {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
      add({ label: `${method} ${path.slice(0, 60)}`, method, path, headers: JSON_TYPE, ...(method === 'GET' || method === 'DELETE' ? {} : { body: Buffer.from('{}') }) });
    }
  }
  // Go's url.ParseQuery drops pairs it cannot decode, so kube serves these reads
  add({ label: 'GET undecodable query', method: 'GET', path: '/api/v1/namespaces/default/configmaps?%%%', headers: {} }, 'not5xx');
  add({ label: 'GET empty namespace segment', method: 'GET', path: '/api/v1/namespaces//configmaps', headers: {} }, 'not5xx');
  add({ label: 'POST undecodable query', method: 'POST', path: '/api/v1/namespaces/default/configmaps?%%%', headers: JSON_TYPE, body: Buffer.from('{"metadata":') });
  return cases;
}
