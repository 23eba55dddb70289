import t from 'tap';
import { DEFAULT_CAPABILITIES } from './capabilities.js';
import { CLONE_NAMESPACE_FLAGS, runtimeDefaultSeccomp, seccompAvailable } from './seccomp-runtime-default.js';

const allowed = (p: ReturnType<typeof runtimeDefaultSeccomp>) =>
  new Set(p.syscalls.filter((r) => r.action === 'SCMP_ACT_ALLOW' && !r.args).flatMap((r) => r.names));

t.equal(CLONE_NAMESPACE_FLAGS, 2114060288, 'the namespace mask moby uses');

t.test('default caps on amd64', async (t) => {
  const p = runtimeDefaultSeccomp(DEFAULT_CAPABILITIES, 'x64');
  t.equal(p.defaultAction, 'SCMP_ACT_ERRNO');
  t.equal(p.defaultErrnoRet, 1);
  t.same(p.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  const ok = allowed(p);
  for (const name of ['read', 'write', 'execve', 'openat', 'futex', 'arch_prctl', 'chroot', 'rseq', 'wait4']) {
    t.ok(ok.has(name), `${name} allowed`);
  }
  for (const name of ['mount', 'umount2', 'unshare', 'setns', 'reboot', 'init_module', 'kexec_load', 'bpf', 'ptrace', 'keyctl', 'add_key', 'settimeofday', 'clone', 'clone3', 'io_uring_setup', 'socket', 'personality', 'open_by_handle_at']) {
    t.notOk(ok.has(name), `${name} not unconditionally allowed`);
  }
  const clone = p.syscalls.find((r) => r.names.includes('clone'));
  t.same(clone?.args, [{ index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }], 'clone without namespace flags');
  t.same(p.syscalls.find((r) => r.names.includes('clone3')), { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }, 'clone3 → ENOSYS');
  t.same(p.syscalls.find((r) => r.names.includes('socket'))?.args, [{ index: 0, value: 40, op: 'SCMP_CMP_NE' }], 'no AF_VSOCK');
  t.equal(p.syscalls.filter((r) => r.names.includes('personality')).length, 5);
});

t.test('capabilities open their groups', async (t) => {
  const p = runtimeDefaultSeccomp([...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN', 'CAP_SYS_PTRACE', 'CAP_SYS_TIME'], 'x64');
  const ok = allowed(p);
  for (const name of ['mount', 'unshare', 'setns', 'clone', 'clone3', 'ptrace', 'settimeofday', 'clock_settime']) t.ok(ok.has(name), `${name} allowed`);
  t.notOk(p.syscalls.some((r) => r.names.includes('clone3') && r.action === 'SCMP_ACT_ERRNO'), 'no clone3 ENOSYS with SYS_ADMIN');
  t.notOk(ok.has('reboot'), 'reboot still needs SYS_BOOT');
  t.notOk(allowed(runtimeDefaultSeccomp(DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_SYS_CHROOT'), 'x64')).has('chroot'), 'chroot needs SYS_CHROOT');
});

t.test('arm64', async (t) => {
  const p = runtimeDefaultSeccomp(DEFAULT_CAPABILITIES, 'arm64');
  t.same(p.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  t.ok(allowed(p).has('set_tls'));
  t.notOk(allowed(p).has('arch_prctl'), 'x86-only call absent');
});

t.test('seccompAvailable is cached and false for a missing binary', async (t) => {
  const missing = '/nonexistent/h3a-runc';
  t.equal(await seccompAvailable(missing), false);
  t.equal(seccompAvailable(missing), seccompAvailable(missing), 'same promise');
});
