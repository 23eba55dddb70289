import t from 'tap';
import { DEFAULT_PATH_ENV, mergeEnv } from './merge-env.js';

const kv = (key: string, value: string) => ({ key, value });

const cases: Array<[name: string, imageEnv: string[] | undefined, envs: Array<{ key: string; value: string }>, want: string[]]> = [
  ['defaults only', undefined, [], [DEFAULT_PATH_ENV, 'HOSTNAME=web-0']],
  ['image PATH replaces the default in place', ['PATH=/bin', 'A=1'], [], ['PATH=/bin', 'HOSTNAME=web-0', 'A=1']],
  ['container wins over image, keeps position', ['A=1', 'B=2'], [kv('A', 'x')], [DEFAULT_PATH_ENV, 'HOSTNAME=web-0', 'A=x', 'B=2']],
  ['container PATH wins', ['PATH=/bin'], [kv('PATH', '/opt/bin')], ['PATH=/opt/bin', 'HOSTNAME=web-0']],
  ['container may override HOSTNAME', [], [kv('HOSTNAME', 'me')], [DEFAULT_PATH_ENV, 'HOSTNAME=me']],
  ['values with = survive', [], [kv('Q', 'a=b=c')], [DEFAULT_PATH_ENV, 'HOSTNAME=web-0', 'Q=a=b=c']],
  ['empty value', [], [kv('E', '')], [DEFAULT_PATH_ENV, 'HOSTNAME=web-0', 'E=']],
  ['later duplicate in container envs wins', [], [kv('D', '1'), kv('D', '2')], [DEFAULT_PATH_ENV, 'HOSTNAME=web-0', 'D=2']],
  ['new container keys appended in order', ['A=1'], [kv('Z', 'z'), kv('M', 'm')], [DEFAULT_PATH_ENV, 'HOSTNAME=web-0', 'A=1', 'Z=z', 'M=m']],
];
for (const [name, imageEnv, envs, want] of cases) t.same(mergeEnv('web-0', imageEnv, envs), want, name);
