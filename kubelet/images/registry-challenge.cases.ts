import t from 'tap';
import { parseWwwAuthenticate, type AuthChallenge } from './registry-challenge.js';

const cases: Array<{ name: string; header: string | string[]; want: AuthChallenge[] }> = [
  {
    name: 'Docker Hub bearer challenge',
    header: 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
    want: [
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
      },
    ],
  },
  { name: 'basic', header: 'Basic realm="k8ts-test"', want: [{ scheme: 'basic', params: { realm: 'k8ts-test' } }] },
  { name: 'scheme and names are case-insensitive, values are not', header: 'BASIC Realm="MiXeD"', want: [{ scheme: 'basic', params: { realm: 'MiXeD' } }] },
  { name: 'bare scheme', header: 'Negotiate', want: [{ scheme: 'negotiate', params: {} }] },
  { name: 'token68', header: 'Negotiate YII=', want: [{ scheme: 'negotiate', params: {}, token68: 'YII=' }] },
  {
    name: 'token68 then another challenge',
    header: 'Negotiate abc==, Basic realm="r"',
    want: [
      { scheme: 'negotiate', params: {}, token68: 'abc==' },
      { scheme: 'basic', params: { realm: 'r' } },
    ],
  },
  {
    name: 'two challenges in one header',
    header: 'Basic realm="a", Bearer realm="http://t/token",service="s"',
    want: [
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { realm: 'http://t/token', service: 's' } },
    ],
  },
  {
    name: 'two header values',
    header: ['Bearer realm="x"', 'Basic realm="y"'],
    want: [
      { scheme: 'bearer', params: { realm: 'x' } },
      { scheme: 'basic', params: { realm: 'y' } },
    ],
  },
  {
    name: 'quoted string with comma, equals and escapes',
    header: 'Bearer realm="a,b=c \\"q\\" \\\\ d",error="insufficient_scope"',
    want: [{ scheme: 'bearer', params: { realm: 'a,b=c "q" \\ d', error: 'insufficient_scope' } }],
  },
  {
    name: 'unquoted token values and whitespace around =',
    header: 'Bearer realm = "r" , service=reg ,scope="repository:a:pull repository:b:pull"',
    want: [{ scheme: 'bearer', params: { realm: 'r', service: 'reg', scope: 'repository:a:pull repository:b:pull' } }],
  },
  {
    name: 'stray commas and empty elements (RFC 7230 #rule)',
    header: ', ,Basic realm="a",, ',
    want: [{ scheme: 'basic', params: { realm: 'a' } }],
  },
  { name: 'unterminated quoted string runs to the end', header: 'Basic realm="oops', want: [{ scheme: 'basic', params: { realm: 'oops' } }] },
  { name: 'empty', header: '', want: [] },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.same(parseWwwAuthenticate(c.header), c.want);
  });
}
