/**
 * Failure modes of decodeProtobufBody: typed errors with kube's status codes for bad
 * envelopes and unknown kinds, and fuzzing (truncations, byte flips, random bytes) that
 * must only ever produce those typed errors, never a crash or a hang.
 */
import t from 'tap';
import { decodeProtobufBody, PROTOBUF_MAGIC } from './decode.js';
import { encodeBody, envelope } from './encode-for-tests.js';
import { MalformedProtobufError, ProtobufBodyError, UnsupportedProtobufKindError } from './errors.js';
import { KUBECTL_133_BODIES } from './kubectl-fixtures.js';

const FIXTURES = Object.entries(KUBECTL_133_BODIES).map(([name, { body }]) => [name, Buffer.from(body, 'base64')] as const);

/** Deterministic PRNG (mulberry32) so a fuzz failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decoding either succeeds or throws one of our typed errors; returns which. */
function outcome(bytes: Buffer): 'ok' | 'typed' | Error {
  try {
    decodeProtobufBody(bytes);
    return 'ok';
  } catch (err) {
    if (err instanceof ProtobufBodyError) return 'typed';
    return err instanceof Error ? err : new Error(String(err));
  }
}

const raw = (bytes: number[]) => envelope('v1', 'ConfigMap', Uint8Array.from(bytes));

// [title, body, error class, message pattern]
const ERRORS: Array<[string, Buffer, typeof MalformedProtobufError | typeof UnsupportedProtobufKindError, RegExp]> = [
  ['an empty body', Buffer.alloc(0), MalformedProtobufError, /^provided data does not appear to be a protobuf message, expected prefix \[107 56 115 0\]$/],
  ['a JSON body', Buffer.from('{"kind":"ConfigMap"}'), MalformedProtobufError, /expected prefix/],
  ['the magic alone: no kind', PROTOBUF_MAGIC, MalformedProtobufError, /Object 'Kind' is missing/],
  ['a kind without apiVersion', envelope('', 'ConfigMap', new Uint8Array()), MalformedProtobufError, /'apiVersion' is missing/],
  [
    'a kind without a schema',
    envelope('v1', 'Pod', new Uint8Array()),
    UnsupportedProtobufKindError,
    /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml, application\/vnd\.kubernetes\.protobuf$/,
  ],
  ['a known kind in another version', envelope('apps/v1beta1', 'Deployment', new Uint8Array()), UnsupportedProtobufKindError, /unknown format/],
  ['an invalid wire type in the envelope', Buffer.concat([PROTOBUF_MAGIC, Buffer.from([0x0f])]), MalformedProtobufError, /unable to decode the protobuf envelope/],
  ['an invalid wire type in the object', raw([0x0f]), MalformedProtobufError, /^unable to decode ConfigMap: /],
  ['a length past the end', raw([0x0a, 0x7f, 0x0a]), MalformedProtobufError, /unable to decode ConfigMap/],
  ['a runaway varint length', raw([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), MalformedProtobufError, /unable to decode ConfigMap/],
  ['deeply nested groups', raw(new Array<number>(200_000).fill(0x2b)), MalformedProtobufError, /unable to decode ConfigMap/],
  [
    'an IntOrString of an impossible type',
    encodeBody('policy/v1', 'PodDisruptionBudget', { spec: { minAvailable: { type: 7 } } }),
    MalformedProtobufError,
    /impossible IntOrString\.Type: 7/,
  ],
  [
    'a time past year 9999',
    encodeBody('v1', 'ConfigMap', { metadata: { creationTimestamp: { seconds: 253402300800 } } }),
    MalformedProtobufError,
    /time out of range/,
  ],
  [
    'managed fields that are not JSON',
    encodeBody('v1', 'ConfigMap', { metadata: { managedFields: [{ fieldsV1: { Raw: Buffer.from('{') } }] } }),
    MalformedProtobufError,
    /fieldsV1 is not valid JSON/,
  ],
];

t.test('typed errors', async (t) => {
  for (const [title, body, type, message] of ERRORS) {
    t.throws(() => decodeProtobufBody(body), type, title);
    try {
      decodeProtobufBody(body);
    } catch (err) {
      t.match((err as Error).message, message, `${title}: message`);
      t.equal((err as ProtobufBodyError).statusCode, type === UnsupportedProtobufKindError ? 415 : 400, `${title}: status`);
    }
  }
  const unsupported = (() => {
    try {
      decodeProtobufBody(envelope('v1', 'Pod', new Uint8Array()));
    } catch (err) {
      return err;
    }
    return undefined;
  })();
  t.match(unsupported, { apiVersion: 'v1', kind: 'Pod', name: 'UnsupportedProtobufKindError' });
});

t.test('fuzz: every truncation of every kubectl body', async (t) => {
  let typed = 0;
  for (const [name, body] of FIXTURES) {
    for (let end = 0; end < body.length; end++) {
      const result = outcome(body.subarray(0, end));
      if (result instanceof Error) t.fail(`${name} cut at ${end}: ${result.stack}`);
      else if (result === 'typed') typed++;
    }
  }
  t.ok(typed > 0, `${typed} truncations were rejected with a typed error`);
});

t.test('fuzz: byte flips in kubectl bodies', async (t) => {
  const random = prng(0x6b387300);
  let checked = 0;
  for (const [name, body] of FIXTURES) {
    for (let i = 0; i < 300; i++) {
      const mutated = Buffer.from(body);
      const flips = 1 + Math.floor(random() * 3);
      for (let f = 0; f < flips; f++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      const result = outcome(mutated);
      if (result instanceof Error) t.fail(`${name} mutation ${i}: ${result.stack}`);
      checked++;
    }
  }
  t.pass(`${checked} mutated bodies gave a result or a typed error`);
});

t.test('fuzz: random bytes after the magic, and random objects of every kind', async (t) => {
  const random = prng(42);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const kinds = FIXTURES.map(([, body]) => decodeProtobufBody(body)).map((d) => [d.apiVersion, d.kind] as const);
  for (let i = 0; i < 3000; i++) {
    const result = outcome(Buffer.concat([PROTOBUF_MAGIC, bytes(Math.floor(random() * 300))]));
    if (result instanceof Error) t.fail(`random envelope ${i}: ${result.stack}`);
    const [apiVersion, kind] = kinds[i % kinds.length] ?? ['v1', 'ConfigMap'];
    const inner = outcome(envelope(apiVersion, kind, bytes(Math.floor(random() * 300))));
    if (inner instanceof Error) t.fail(`random ${kind} ${i}: ${inner.stack}`);
  }
  t.pass('6000 random bodies gave a result or a typed error');
});
