import t from 'tap';
import {
  checkContinueParameters,
  checkContinueRevision,
  CONTINUE_EXPIRED,
  decodeContinueToken,
  encodeContinueToken,
  INCONSISTENT_CONTINUE,
  inconsistentContinue,
} from './continue-token.js';

const prefix = '/registry/core/pods/default/';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

t.test('round trip, kube wire format', async (t) => {
  const token = encodeContinueToken(`${prefix}web-1\0`, 42, prefix);
  t.match(token, /^[A-Za-z0-9_-]+$/, 'unpadded base64url');
  t.same(JSON.parse(Buffer.from(token, 'base64url').toString()), { v: 'meta.k8s.io/v1', rv: 42, start: 'web-1\0' });
  t.same(decodeContinueToken(token, prefix), { key: `${prefix}web-1\0`, revision: 42 });
  // a token of one namespace continues in the prefix it is used with, as in kube
  t.same(decodeContinueToken(token, '/registry/core/pods/other/'), { key: '/registry/core/pods/other/web-1\0', revision: 42 });
  // a real kube token decodes too (start with a leading slash is accepted)
  t.same(decodeContinueToken(b64('{"v":"meta.k8s.io/v1","rv":7,"start":"/a/b\\u0000"}'), prefix), { key: `${prefix}a/b\0`, revision: 7 });
  t.same(decodeContinueToken(b64('{"v":"meta.k8s.io/v1","rv":-1,"start":"x"}'), prefix), { key: `${prefix}x`, revision: -1 });
  t.throws(() => encodeContinueToken('/elsewhere/x', 1, prefix), /the key and key prefix do not match/);
});

t.test('garbage tokens are BadRequest with kube wording', async (t) => {
  const cases: Array<[string, string]> = [
    ['!!!', 'illegal base64 data at input byte 0'],
    ['abc=', 'illegal base64 data at input byte 3'],
    ['abcde', 'illegal base64 data at input byte 4'],
    ['', 'unexpected end of JSON input'],
    [b64('not json'), 'invalid character in "not json"'],
    [b64('[1]'), 'json: cannot unmarshal array into Go value of type storage.continueToken'],
    [b64('{"v":1,"rv":1,"start":"a"}'), 'json: cannot unmarshal number into Go struct field continueToken.v of type string'],
    [b64('{"v":"meta.k8s.io/v1","rv":"1","start":"a"}'), 'json: cannot unmarshal string into Go struct field continueToken.rv of type int64'],
    [b64('{"v":"meta.k8s.io/v1","rv":1.5,"start":"a"}'), 'json: cannot unmarshal number into Go struct field continueToken.rv of type int64'],
    [b64('{"v":"meta.k8s.io/v2","rv":1,"start":"a"}'), 'server does not recognize this encoded version meta.k8s.io/v2'],
    [b64('{"rv":1,"start":"a"}'), 'server does not recognize this encoded version '],
    [b64('{"v":"meta.k8s.io/v1","start":"a"}'), 'incorrect encoded start resourceVersion (version meta.k8s.io/v1)'],
    [b64('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}'), 'incorrect encoded start resourceVersion (version meta.k8s.io/v1)'],
    [b64('{"v":"meta.k8s.io/v1","rv":3}'), 'encoded start key empty (version meta.k8s.io/v1)'],
    [b64('{"v":"meta.k8s.io/v1","rv":3,"start":"../kube-system/x"}'), '../kube-system/x'],
    [b64('{"v":"meta.k8s.io/v1","rv":3,"start":"a//b"}'), 'a//b'],
    [b64('{"v":"meta.k8s.io/v1","rv":3,"start":"a/./b"}'), 'a/./b'],
    [b64('{"v":"meta.k8s.io/v1","rv":3,"start":"a/"}'), 'a/'],
  ];
  for (const [token, why] of cases) {
    t.throws(() => decodeContinueToken(token, prefix), { reason: 'BadRequest', code: 400, message: `invalid continue token: continue key is not valid: ${why}` }, why);
  }
});

t.test('a compacted revision expires the token (410 Expired)', async (t) => {
  t.doesNotThrow(() => checkContinueRevision({ key: 'k', revision: 10 }, 10));
  t.doesNotThrow(() => checkContinueRevision({ key: 'k', revision: 11 }, 10));
  t.doesNotThrow(() => checkContinueRevision({ key: 'k', revision: -1 }, 10), 'the inconsistent token never expires');
  t.throws(() => checkContinueRevision({ key: 'k', revision: 9 }, 10), { reason: 'Expired', code: 410, message: CONTINUE_EXPIRED });
  const { error, continue: token } = inconsistentContinue({ key: `${prefix}web-1\0`, revision: 9 }, prefix);
  t.equal(error.reason, 'Expired');
  t.equal(error.code, 410);
  t.equal(error.message, INCONSISTENT_CONTINUE);
  t.same(decodeContinueToken(token, prefix), { key: `${prefix}web-1\0`, revision: -1 });
});

t.test('resourceVersion with continue', async (t) => {
  t.doesNotThrow(() => checkContinueParameters(undefined));
  t.doesNotThrow(() => checkContinueParameters(''));
  t.doesNotThrow(() => checkContinueParameters('0'));
  t.throws(() => checkContinueParameters('5'), { reason: 'BadRequest', message: 'specifying resource version is not allowed when using continue' });
});
