import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import t from 'tap';
import type { LinuxContainerSecurityContext } from '../../../cri/api.js';
import { isCriError } from '../../../cri/errors.js';
import { tempDir } from '../../../images/testing/temp-dir.js';
import { readFileInRoot, resolveUser, userSpecFor } from './resolve-user.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nwww:x:33:33::/var/www:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n';
const GROUP = 'root:x:0:\nwww:x:33:\nwheel:x:10:root,alice\nalice:x:1000:\naudio:x:29:alice\n';

async function rootfs(t: Parameters<typeof tempDir>[0], files: Record<string, string>, links: Record<string, string> = {}): Promise<string> {
  const root = await tempDir(t, 'h3a-rootfs');
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), content);
  }
  for (const [rel, target] of Object.entries(links)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.symlink(target, path.join(root, rel));
  }
  return root;
}

const sc = (fields: Partial<LinuxContainerSecurityContext>): LinuxContainerSecurityContext => fields;

t.test('userSpecFor: which user and group are looked up', async (t) => {
  const cases: Array<[string, LinuxContainerSecurityContext | undefined, string | undefined, string]> = [
    ['nothing: root', undefined, undefined, ''],
    ['image user', undefined, 'www', 'www'],
    ['image user:group', undefined, 'www:wheel', 'www:wheel'],
    ['runAsUser wins over the image, image group dropped', sc({ runAsUser: { value: 1000 } }), 'www:wheel', '1000'],
    ['runAsUser 0 is a value', sc({ runAsUser: { value: 0 } }), 'www', '0'],
    ['runAsUsername', sc({ runAsUsername: 'alice' }), 'alice', 'alice'],
    ['runAsUser + runAsGroup', sc({ runAsUser: { value: 1000 }, runAsGroup: { value: 5 } }), undefined, '1000:5'],
    ['runAsGroup replaces the image group', sc({ runAsGroup: { value: 5 } }), 'www:wheel', 'www:5'],
    ['runAsGroup with no user anywhere: uid 0', sc({ runAsGroup: { value: 5 } }), undefined, '0:5'],
  ];
  for (const [name, s, image, want] of cases) t.equal(userSpecFor(s, image), want, name);
});

t.test('resolveUser against a rootfs', async (t) => {
  const root = await rootfs(t, { 'etc/passwd': PASSWD, 'etc/group': GROUP });
  const cases: Array<[string, LinuxContainerSecurityContext | undefined, string | undefined, { uid: number; gid: number; additionalGids: number[] }]> = [
    ['default root', undefined, undefined, { uid: 0, gid: 0, additionalGids: [0] }],
    ['root by name lists wheel', undefined, 'root', { uid: 0, gid: 0, additionalGids: [0, 10] }],
    ['image user by name', undefined, 'alice', { uid: 1000, gid: 1000, additionalGids: [1000, 10, 29] }],
    ['numeric uid found in passwd gets its gid', sc({ runAsUser: { value: 33 } }), undefined, { uid: 33, gid: 33, additionalGids: [33] }],
    ['numeric uid not in passwd: gid 0', sc({ runAsUser: { value: 4242 } }), 'alice', { uid: 4242, gid: 0, additionalGids: [0] }],
    ['runAsGroup + supplementalGroups, no duplicates', sc({ runAsUser: { value: 1000 }, runAsGroup: { value: 7 }, supplementalGroups: [7, 3000, 3000] }), undefined, { uid: 1000, gid: 7, additionalGids: [7, 3000] }],
    ['supplementalGroups after /etc/group ones', sc({ runAsUsername: 'alice', supplementalGroups: [10, 2000] }), undefined, { uid: 1000, gid: 1000, additionalGids: [1000, 10, 29, 2000] }],
  ];
  for (const [name, s, image, want] of cases) t.same(await resolveUser(root, s, image), want, name);

  try {
    await resolveUser(root, undefined, 'ghost');
    t.fail('unknown user name must fail');
  } catch (err) {
    t.ok(isCriError(err, 'InvalidArgument'));
    t.equal((err as Error).message, 'unable to find user ghost: no matching entries in passwd file');
  }
});

t.test('no /etc at all: numeric users work, names fail', async (t) => {
  const root = await rootfs(t, { 'bin/sh': '' });
  t.same(await resolveUser(root, sc({ runAsUser: { value: 1000 } }), undefined), { uid: 1000, gid: 0, additionalGids: [0] });
  await t.rejects(resolveUser(root, undefined, 'alice'), { message: 'unable to find user alice: no matching entries in passwd file' });
});

t.test('symlinks are resolved inside the rootfs, never on the host', async (t) => {
  const outside = await tempDir(t, 'h3a-outside');
  // a host passwd file that must never be read
  await fs.writeFile(path.join(outside, 'passwd'), 'evil:x:4242:4242::/:/bin/sh\n');
  const hostPath = path.join(outside, 'passwd');

  // absolute link: inside the rootfs it points at <root><hostPath>, which does not exist
  const abs = await rootfs(t, { 'etc/group': GROUP }, { 'etc/passwd': hostPath });
  await t.rejects(resolveUser(abs, undefined, 'evil'), { message: 'unable to find user evil: no matching entries in passwd file' }, 'absolute link not followed to the host');
  t.equal(await readFileInRoot(abs, 'etc/passwd'), null);

  // relative link climbing out: .. stops at the rootfs
  const rel = await rootfs(t, { 'etc/group': GROUP }, { 'etc/passwd': `../../../../../../../../../..${hostPath}` });
  t.equal(await readFileInRoot(rel, 'etc/passwd'), null, 'climbing .. stays in the root');

  // a directory link: etc -> host dir
  const dirLink = await rootfs(t, {}, { etc: outside });
  t.equal(await readFileInRoot(dirLink, 'etc/passwd'), null, 'etc -> host dir is resolved inside the root');

  // legitimate links inside the rootfs still work
  const inside = await rootfs(t, { 'usr/share/base/passwd': PASSWD, 'etc/group': GROUP }, { 'etc/passwd': '../usr/share/base/passwd', 'etc/alt': '/usr/share/base' });
  t.same(await resolveUser(inside, undefined, 'alice'), { uid: 1000, gid: 1000, additionalGids: [1000, 10, 29] }, 'relative link inside the root');
  t.equal(await readFileInRoot(inside, 'etc/alt/passwd'), PASSWD, 'absolute dir link re-rooted');

  // the same link, planted so that re-rooting finds a fake file inside the root
  const rerooted = await rootfs(t, { [`${hostPath.slice(1)}`]: PASSWD, 'etc/group': GROUP }, { 'etc/passwd': hostPath });
  t.same(await resolveUser(rerooted, undefined, 'alice'), { uid: 1000, gid: 1000, additionalGids: [1000, 10, 29] }, 'absolute link re-rooted reads the in-root copy');

  // a loop ends
  const loop = await rootfs(t, {}, { 'etc/passwd': 'passwd2', 'etc/passwd2': 'passwd' });
  t.equal(await readFileInRoot(loop, 'etc/passwd'), null, 'symlink loop gives up');
});
