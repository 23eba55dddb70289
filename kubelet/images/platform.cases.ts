import t from 'tap';
import {
  acceptedPlatforms,
  formatPlatform,
  hostPlatform,
  NoMatchingPlatformError,
  normalizePlatform,
  rankCandidates,
  selectManifest,
  type Platform,
} from './platform.js';

t.test('host platform from process.arch', async (t) => {
  const cases: Array<[string, string, Platform]> = [
    ['x64', 'linux', { os: 'linux', architecture: 'amd64' }],
    ['arm64', 'linux', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    ['arm', 'linux', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['ia32', 'linux', { os: 'linux', architecture: '386' }],
    ['ppc64', 'linux', { os: 'linux', architecture: 'ppc64le' }],
    ['s390x', 'linux', { os: 'linux', architecture: 's390x' }],
    ['arm64', 'darwin', { os: 'darwin', architecture: 'arm64', variant: 'v8' }],
  ];
  for (const [arch, os, want] of cases) t.same(hostPlatform(arch, os), want, `${os}/${arch}`);
  t.ok(hostPlatform().os.length > 0, 'this process has a platform');
});

t.test('normalisation as containerd does it', async (t) => {
  const cases: Array<[Platform, string]> = [
    [{ os: 'linux', architecture: 'x86_64' }, 'linux/amd64'],
    [{ os: 'Linux', architecture: 'AMD64', variant: 'v1' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'amd64', variant: 'v3' }, 'linux/amd64/v3'],
    [{ os: 'linux', architecture: 'aarch64' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: '8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: '9.0' }, 'linux/arm64/v9'],
    [{ os: 'linux', architecture: 'armhf' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'armel' }, 'linux/arm/v6'],
    [{ os: 'linux', architecture: 'arm' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm', variant: '6' }, 'linux/arm/v6'],
    [{ os: 'linux', architecture: 'i386' }, 'linux/386'],
    [{ os: 'macos', architecture: 'arm64' }, 'darwin/arm64'],
  ];
  for (const [platform, want] of cases) t.equal(formatPlatform(normalizePlatform(platform)), want, JSON.stringify(platform));
});

t.test('platforms a host accepts, best first', async (t) => {
  const cases: Array<[Platform, string[]]> = [
    [{ os: 'linux', architecture: 'amd64' }, ['linux/amd64', 'linux/386']],
    [{ os: 'linux', architecture: 'amd64', variant: 'v3' }, ['linux/amd64/v3', 'linux/amd64/v2', 'linux/amd64', 'linux/386']],
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ['linux/arm64', 'linux/arm/v8', 'linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5'],
    ],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, ['linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']],
    [{ os: 'linux', architecture: 's390x' }, ['linux/s390x']],
  ];
  for (const [host, want] of cases) t.same(acceptedPlatforms(host).map(formatPlatform), want, formatPlatform(host));
});

interface Entry {
  digest: string;
  platform?: Platform;
}
const amd64: Entry = { digest: 'amd64', platform: { os: 'linux', architecture: 'amd64' } };
const arm64v8: Entry = { digest: 'arm64v8', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } };
const arm64bare: Entry = { digest: 'arm64', platform: { os: 'linux', architecture: 'arm64' } };
const armv7: Entry = { digest: 'armv7', platform: { os: 'linux', architecture: 'arm', variant: 'v7' } };
const i386: Entry = { digest: '386', platform: { os: 'linux', architecture: '386' } };
const amd64v3: Entry = { digest: 'amd64v3', platform: { os: 'linux', architecture: 'amd64', variant: 'v3' } };
const windows: Entry = { digest: 'windows', platform: { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1' } };
const attestation: Entry = { digest: 'attestation', platform: { os: 'unknown', architecture: 'unknown' } };
const unlabelled: Entry = { digest: 'no-platform' };

const linuxAmd64 = hostPlatform('x64', 'linux');
const linuxArm64 = hostPlatform('arm64', 'linux');

t.test('selecting from a two-architecture index', async (t) => {
  const cases: Array<[string, Entry[], Platform, string]> = [
    ['amd64 host picks amd64', [amd64, arm64v8], linuxAmd64, 'amd64'],
    ['arm64 host picks arm64/v8', [amd64, arm64v8], linuxArm64, 'arm64v8'],
    ['arm64/v8 host matches arm64 without variant', [amd64, arm64bare], linuxArm64, 'arm64'],
    ['arm64 host prefers arm64 over arm/v7 whatever the order', [armv7, arm64v8], linuxArm64, 'arm64v8'],
    ['arm64 host falls back to arm/v7', [amd64, armv7], linuxArm64, 'armv7'],
    ['amd64 host falls back to 386', [arm64v8, i386], linuxAmd64, '386'],
    ['amd64 host prefers amd64 over 386', [i386, amd64], linuxAmd64, 'amd64'],
    ['a v1 amd64 host cannot run amd64/v3', [amd64v3, amd64], linuxAmd64, 'amd64'],
    ['amd64/v3 host prefers v3', [amd64, amd64v3], { os: 'linux', architecture: 'amd64', variant: 'v3' }, 'amd64v3'],
    ['attestations and other OSes are skipped', [attestation, windows, amd64], linuxAmd64, 'amd64'],
    ['first of equal candidates wins', [{ ...amd64, digest: 'first' }, { ...amd64, digest: 'second' }], linuxAmd64, 'first'],
    ['entries without platform come after matching ones', [unlabelled, amd64], linuxAmd64, 'amd64'],
    ['an entry without platform is the last resort', [arm64v8, unlabelled], linuxAmd64, 'no-platform'],
  ];
  for (const [name, entries, host, want] of cases) t.equal(selectManifest(entries, host).digest, want, name);
});

t.test('candidates are ranked best first', async (t) => {
  t.same(
    rankCandidates([unlabelled, armv7, amd64, arm64bare, attestation, arm64v8], linuxArm64).map((e) => e.digest),
    ['arm64', 'arm64v8', 'armv7', 'no-platform'],
  );
});

t.test('no match lists what the image offers', async (t) => {
  t.throws(
    () => selectManifest([arm64v8, armv7, attestation], linuxAmd64),
    new NoMatchingPlatformError(linuxAmd64, ['linux/arm64/v8', 'linux/arm/v7', 'unknown/unknown']),
  );
  try {
    selectManifest([arm64v8, armv7, attestation, { ...arm64v8, digest: 'dup' }], linuxAmd64);
    t.fail('should throw');
  } catch (err) {
    t.type(err, NoMatchingPlatformError);
    t.equal(
      (err as Error).message,
      'no match for platform in manifest: not found (host platform linux/amd64; ' +
        'image provides linux/arm64/v8, linux/arm/v7, unknown/unknown)',
    );
    t.same((err as NoMatchingPlatformError).available, ['linux/arm64/v8', 'linux/arm/v7', 'unknown/unknown']);
  }
  t.throws(() => selectManifest([], linuxArm64), {
    message: 'no match for platform in manifest: not found (host platform linux/arm64/v8; image provides no platforms)',
  });
});
