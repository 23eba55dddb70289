/**
 * The pure parts of a pull: containerd's error wording per failure (pullError) and the
 * CRI AuthConfig turned into registry credentials (credentialsFromAuth).
 */
import t from 'tap';
import { CriError } from '../cri/errors.js';
import { pullError, ResolveError } from './pull-image.js';
import { RegistryError } from './registry-error.js';
import { credentialsFromAuth } from './pull-credentials.js';

t.test('pullError: containerd\'s messages and codes', async (t) => {
  const ref = '127.0.0.1:5000/busybox:nope';
  const head = `failed to pull and unpack image "${ref}"`;
  const resolve = `failed to resolve reference "${ref}"`;
  const table: Array<[string, unknown, string, string]> = [
    ['manifest 404', new ResolveError(new RegistryError(`${ref}: not found`, 404, 'MANIFEST_UNKNOWN')), 'NotFound', `${head}: ${resolve}: ${ref}: not found`],
    [
      'manifest 401',
      new ResolveError(new RegistryError('unexpected status from GET request to http://x/v2/busybox/manifests/nope: 401 Unauthorized', 401, 'UNAUTHORIZED')),
      'Unknown',
      `${head}: ${resolve}: pull access denied, repository does not exist or may require authorization: unexpected status from GET request to http://x/v2/busybox/manifests/nope: 401 Unauthorized`,
    ],
    ['manifest 403', new ResolveError(new RegistryError('denied', 403, 'DENIED')), 'Unknown', `${head}: ${resolve}: pull access denied, repository does not exist or may require authorization: denied`],
    ['network', new ResolveError(new Error('connect ECONNREFUSED 127.0.0.1:5000')), 'Unknown', `${head}: ${resolve}: connect ECONNREFUSED 127.0.0.1:5000`],
    ['blob 404 after resolving', new RegistryError('blob unknown', 404), 'Unknown', `${head}: blob unknown`],
    ['platform', new Error('no match for platform in manifest: not found'), 'Unknown', `${head}: no match for platform in manifest: not found`],
  ];
  for (const [name, err, code, message] of table) {
    const got = pullError(ref, err);
    t.ok(got instanceof CriError, name);
    t.equal(got.code, code, `${name}: code`);
    t.equal(got.message, message, `${name}: message`);
  }
});

t.test('credentialsFromAuth', async (t) => {
  const table: Array<[string, object | undefined, object | undefined]> = [
    ['none', undefined, undefined],
    ['empty', { username: '', password: '', auth: '' }, undefined],
    ['user and password', { username: 'alice', password: 'pw' }, { username: 'alice', password: 'pw' }],
    ['auth field', { auth: Buffer.from('bob:p:w').toString('base64') }, { username: 'bob', password: 'p:w' }],
    ['username wins over auth', { username: 'alice', password: 'pw', auth: Buffer.from('bob:x').toString('base64') }, { username: 'alice', password: 'pw' }],
    ['identity token', { identityToken: 'refresh' }, { identityToken: 'refresh' }],
    ['registry token', { registryToken: 'bearer' }, { registryToken: 'bearer' }],
  ];
  for (const [name, auth, want] of table) t.same(credentialsFromAuth(auth), want, name);
  t.throws(() => credentialsFromAuth({ auth: Buffer.from('nocolon').toString('base64') }), /not base64 of user:password/);
});
