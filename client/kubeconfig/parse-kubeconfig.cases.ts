/** parseKubeconfig, table-driven, no server: data and file fields, tokens, contexts, and each missing piece named. */
import t from 'tap';
import { stringify } from 'yaml';
import { KubeconfigError, parseKubeconfig, type ParseKubeconfigOptions } from './parse-kubeconfig.js';

const CA = '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const files: Record<string, string> = { '/etc/k/ca.crt': CA, '/etc/k/client.crt': CERT, '/etc/k/client.key': KEY, '/etc/k/token': 'file-token\n' };
const readFile = (p: string) => {
  const text = files[p];
  if (text === undefined) throw new Error('ENOENT: no such file');
  return text;
};

type Doc = Record<string, unknown>;
function config(over: { cluster?: Doc; user?: Doc; context?: Doc; top?: Doc } = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64(CA), ...over.cluster } }],
    contexts: [
      { name: 'ctx', context: { cluster: 'c', user: 'u', ...over.context } },
      { name: 'other', context: { cluster: 'c', user: 't' } },
    ],
    users: [
      { name: 'u', user: { 'client-certificate-data': b64(CERT), 'client-key-data': b64(KEY), ...over.user } },
      { name: 't', user: { token: 'other-token' } },
    ],
    'current-context': 'ctx',
    ...over.top,
  });
}

const ok: Array<{ name: string; text: string; opts?: ParseKubeconfigOptions; want: Record<string, unknown> }> = [
  { name: 'embedded data', text: config(), want: { context: 'ctx', cluster: 'c', user: 'u', server: 'https://127.0.0.1:6443', ca: CA, cert: CERT, key: KEY } },
  {
    name: 'files, relative to baseDir',
    text: config({ cluster: { 'certificate-authority-data': undefined, 'certificate-authority': 'ca.crt' }, user: { 'client-certificate-data': undefined, 'client-key-data': undefined, 'client-certificate': '/etc/k/client.crt', 'client-key': 'client.key' } }),
    opts: { baseDir: '/etc/k' },
    want: { ca: CA, cert: CERT, key: KEY },
  },
  { name: 'token', text: config({ user: { 'client-certificate-data': undefined, 'client-key-data': undefined, token: 'abc' } }), want: { token: 'abc', cert: undefined } },
  { name: 'tokenFile', text: config({ user: { 'client-certificate-data': undefined, 'client-key-data': undefined, tokenFile: '/etc/k/token' } }), want: { token: 'file-token' } },
  { name: 'a context other than the current one', text: config(), opts: { context: 'other' }, want: { context: 'other', user: 't', token: 'other-token' } },
];

for (const row of ok) {
  t.test(row.name, async (t) => {
    const got = parseKubeconfig(row.text, { readFile, ...row.opts }) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(row.want)) t.equal(got[k], v, k);
  });
}

const bad: Array<{ name: string; text: string; opts?: ParseKubeconfigOptions; error: RegExp }> = [
  { name: 'not YAML', text: 'a: [', error: /not valid YAML/ },
  { name: 'not a mapping', text: '- 1', error: /not a mapping/ },
  { name: 'no current-context', text: config({ top: { 'current-context': undefined } }), error: /no current-context/ },
  { name: 'unknown context', text: config(), opts: { context: 'nope' }, error: /no context named "nope"/ },
  { name: 'context without user', text: config({ context: { user: undefined } }), error: /context "ctx" names no user/ },
  { name: 'unknown cluster', text: config({ context: { cluster: 'nope' } }), error: /no cluster named "nope" in clusters/ },
  { name: 'no server', text: config({ cluster: { server: undefined } }), error: /cluster "c" has no server/ },
  { name: 'http server', text: config({ cluster: { server: 'http://x' } }), error: /is not https/ },
  { name: 'no CA', text: config({ cluster: { 'certificate-authority-data': undefined } }), error: /has no certificate-authority-data/ },
  { name: 'CA file missing', text: config({ cluster: { 'certificate-authority-data': undefined, 'certificate-authority': '/nope.crt' } }), error: /cannot read cluster "c" certificate-authority \/nope.crt/ },
  { name: 'CA data not PEM', text: config({ cluster: { 'certificate-authority-data': b64('junk') } }), error: /not base64-encoded PEM/ },
  { name: 'cert without key', text: config({ user: { 'client-key-data': undefined } }), error: /certificate but no client-key-data/ },
  { name: 'key without cert', text: config({ user: { 'client-certificate-data': undefined } }), error: /client key but no client-certificate-data/ },
  { name: 'no credentials', text: config({ user: { 'client-certificate-data': undefined, 'client-key-data': undefined } }), error: /user "u" has no credentials/ },
  { name: 'exec plugin', text: config({ user: { exec: { command: 'x' } } }), error: /exec or auth-provider/ },
];

for (const row of bad) {
  t.test(`error: ${row.name}`, async (t) => {
    t.throws(() => parseKubeconfig(row.text, { readFile, ...row.opts }), row.error);
    t.throws(() => parseKubeconfig(row.text, { readFile, ...row.opts }), KubeconfigError);
  });
}
