import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import t from 'tap';
import { decodeJwt, keyId, signatureValid, signJwt } from './jwt.js';
import { testSigningKey } from './test-service-account-tokens.js';

const privateKey = createPrivateKey(testSigningKey());
const publicKey = createPublicKey(privateKey);
const kid = keyId(publicKey);

t.test('a signed token decodes to its header and claims and verifies', async (t) => {
  const token = signJwt({ sub: 'x', n: 1 }, privateKey, kid);
  const jwt = decodeJwt(token);
  if (!jwt) return t.fail('not decoded');
  t.same(jwt.header, { alg: 'ES256', kid });
  t.same(jwt.claims, { sub: 'x', n: 1 });
  t.equal(jwt.signature.length, 64, 'JWS form: r||s, not DER');
  t.ok(signatureValid(jwt, publicKey));
});

t.test('an RSA key signs RS256', async (t) => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwt = decodeJwt(signJwt({ sub: 'x' }, rsa.privateKey, 'k'))!;
  t.equal(jwt.header.alg, 'RS256');
  t.ok(signatureValid(jwt, rsa.publicKey));
  t.notOk(signatureValid(jwt, publicKey), 'not with the EC key');
});

t.test('other keys cannot sign', async (t) => {
  const ed = generateKeyPairSync('ed25519');
  t.throws(() => signJwt({}, ed.privateKey, 'k'), /unsupported signing key: ed25519/);
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  t.throws(() => signJwt({}, p384.privateKey, 'k'), /unsupported signing key/);
  t.notOk(signatureValid(decodeJwt(signJwt({}, privateKey, kid))!, ed.publicKey));
});

t.test('the key id is the base64url SHA-256 of the public key DER', async (t) => {
  t.match(kid, /^[A-Za-z0-9_-]{43}$/);
  t.equal(keyId(createPublicKey(testSigningKey())), kid, 'stable for the same key');
});

t.test('another key, a changed payload or another algorithm do not verify', async (t) => {
  const token = signJwt({ sub: 'x' }, privateKey, kid);
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  t.notOk(signatureValid(decodeJwt(token)!, other));
  const [head, , sig] = token.split('.');
  const forged = `${head}.${Buffer.from(JSON.stringify({ sub: 'root' })).toString('base64url')}.${sig}`;
  t.notOk(signatureValid(decodeJwt(forged)!, publicKey));
  const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${token.split('.')[1]}.`;
  t.notOk(signatureValid(decodeJwt(none)!, publicKey), 'alg none is refused');
});

const notJwts: Array<[string, string]> = [
  ['an opaque token', 'good-token'],
  ['two parts', 'a.b'],
  ['four parts', 'a.b.c.d'],
  ['a header that is not JSON', `${Buffer.from('nope').toString('base64url')}.e30.sig`],
  ['a header without alg', `${Buffer.from('{}').toString('base64url')}.e30.sig`],
  ['claims that are an array', `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('[]').toString('base64url')}.sig`],
  ['characters outside base64url', 'e30+.e30.sig'],
];
for (const [title, token] of notJwts) {
  t.test(`not a JWT: ${title}`, async (t) => {
    t.equal(decodeJwt(token), undefined);
  });
}
