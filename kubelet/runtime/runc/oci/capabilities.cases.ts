import t from 'tap';
import { allCapabilities, CAPABILITY_NAMES, containerCapabilities, DEFAULT_CAPABILITIES } from './capabilities.js';

const LAST = 40;
const sorted = (names: readonly string[]) => [...names].sort();
const caps = (privileged: boolean, add: string[], drop: string[]) =>
  sorted(containerCapabilities({ privileged, add, drop, lastCapability: LAST }));

t.equal(CAPABILITY_NAMES[21], 'SYS_ADMIN', 'table is numbered like capability.h');
t.equal(CAPABILITY_NAMES[40], 'CHECKPOINT_RESTORE');
t.equal(allCapabilities(LAST).length, 41);
t.equal(allCapabilities(37).length, 38, 'older kernel: up to cap_last_cap');
t.equal(allCapabilities(99).length, CAPABILITY_NAMES.length, 'unknown numbers are skipped');

const all = sorted(allCapabilities(LAST));
const without = (set: readonly string[], ...names: string[]) => sorted(set.filter((c) => !names.includes(c)));

const cases: Array<[name: string, privileged: boolean, add: string[], drop: string[], want: string[]]> = [
  ['default set', false, [], [], sorted(DEFAULT_CAPABILITIES)],
  ['add one', false, ['NET_ADMIN'], [], sorted([...DEFAULT_CAPABILITIES, 'CAP_NET_ADMIN'])],
  ['add with CAP_ prefix and lower case', false, ['cap_sys_time'], [], sorted([...DEFAULT_CAPABILITIES, 'CAP_SYS_TIME'])],
  ['drop one', false, [], ['NET_RAW'], without(DEFAULT_CAPABILITIES, 'CAP_NET_RAW')],
  ['drop ALL', false, [], ['ALL'], []],
  ['drop ALL, add one back', false, ['NET_BIND_SERVICE'], ['ALL'], ['CAP_NET_BIND_SERVICE']],
  ['add ALL', false, ['ALL'], [], all],
  ['add ALL, drop one', false, ['ALL'], ['CHOWN'], without(all, 'CAP_CHOWN')],
  ['add ALL and drop ALL: nothing', false, ['ALL'], ['ALL'], []],
  ['drop wins over add of the same', false, ['SYS_ADMIN'], ['SYS_ADMIN'], sorted(DEFAULT_CAPABILITIES)],
  ['lower-case all', false, [], ['all'], []],
  ['privileged: everything, add/drop ignored', true, [], ['ALL'], all],
];
for (const [name, privileged, add, drop, want] of cases) t.same(caps(privileged, add, drop), want, name);

t.same(
  containerCapabilities({ privileged: false, add: ['SYS_ADMIN'], drop: [], lastCapability: LAST }).slice(0, 3),
  ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER'],
  'ordered by capability number',
);
