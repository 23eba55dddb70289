import t from 'tap';
import { lookupExecUser, parseGroup, parsePasswd, type ExecUser } from './passwd.js';

t.same(
  parsePasswd('root:x:0:0:root:/root:/bin/sh\n\n# comment\nbad line\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nneg:x:-1:0::/:\n  www:x:33:33::/var/www:/bin/sh  \n'),
  [
    { name: 'root', uid: 0, gid: 0, home: '/root' },
    { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' },
    { name: 'www', uid: 33, gid: 33, home: '/var/www' },
  ],
  'passwd: comments, blanks, malformed and negative ids skipped',
);
t.same(
  parseGroup('root:x:0:\nwheel:x:10:root,alice\nstaff:x:50: alice , bob\nbroken:x:zz:alice\nempty:x:7\n'),
  [
    { name: 'root', gid: 0, members: [] },
    { name: 'wheel', gid: 10, members: ['root', 'alice'] },
    { name: 'staff', gid: 50, members: ['alice', 'bob'] },
    { name: 'empty', gid: 7, members: [] },
  ],
  'group: members split and trimmed, malformed skipped',
);

const passwd = parsePasswd('root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:100::/home/bob:/bin/sh\n');
const groups = parseGroup('root:x:0:\nwheel:x:10:root,alice\nusers:x:100:\nalice:x:1000:\ndocker:x:999:alice,bob\n');

const cases: Array<[spec: string, want: ExecUser | string]> = [
  ['', { uid: 0, gid: 0, sgids: [] }],
  ['0', { uid: 0, gid: 0, sgids: [10], name: 'root' }],
  ['root', { uid: 0, gid: 0, sgids: [10], name: 'root' }],
  ['alice', { uid: 1000, gid: 1000, sgids: [10, 999], name: 'alice' }],
  ['1000', { uid: 1000, gid: 1000, sgids: [10, 999], name: 'alice' }],
  ['bob', { uid: 1001, gid: 100, sgids: [999], name: 'bob' }],
  ['4242', { uid: 4242, gid: 0, sgids: [] }],
  ['4242:77', { uid: 4242, gid: 77, sgids: [] }],
  ['alice:docker', { uid: 1000, gid: 999, sgids: [], name: 'alice' }],
  ['alice:5', { uid: 1000, gid: 5, sgids: [], name: 'alice' }],
  ['1000:users', { uid: 1000, gid: 100, sgids: [], name: 'alice' }],
  ['ghost', 'unable to find user ghost: no matching entries in passwd file'],
  ['ghost:0', 'unable to find user ghost: no matching entries in passwd file'],
  ['alice:nogroup', 'unable to find group nogroup: no matching entries in group file'],
];
for (const [spec, want] of cases) {
  if (typeof want === 'string') t.throws(() => lookupExecUser(spec, passwd, groups), { message: want }, `"${spec}" fails`);
  else t.same(lookupExecUser(spec, passwd, groups), want, `"${spec}"`);
}

t.same(lookupExecUser('1000', null, null), { uid: 1000, gid: 0, sgids: [] }, 'no passwd file: numeric uid, gid 0');
t.same(lookupExecUser('1000:20', null, null), { uid: 1000, gid: 20, sgids: [] }, 'no files: numeric both');
t.throws(() => lookupExecUser('alice', null, null), { message: 'unable to find user alice: no matching entries in passwd file' });
t.throws(() => lookupExecUser('0:wheel', passwd, null), { message: 'unable to find group wheel: no matching entries in group file' });
