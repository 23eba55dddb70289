import t from 'tap';
import { fieldManagerFor, validatePatchOptions } from './field-manager.js';

t.test('the writer named after the user agent', async (t) => {
  const cases: Array<[string | undefined, string | undefined, string]> = [
    ['kubectl-edit', 'kubectl/v1.33.0 (linux/amd64) kubernetes/abc', 'kubectl-edit'],
    [undefined, 'kubectl/v1.33.0 (linux/amd64) kubernetes/abc', 'kubectl'],
    ['', 'kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:deployment-controller', 'kube-controller-manager'],
    [undefined, 'curl\u0007bell', 'curlbell'],
    [undefined, 'x'.repeat(200), 'x'.repeat(128)],
    [undefined, undefined, ''],
  ];
  for (const [manager, agent, want] of cases) t.equal(fieldManagerFor(manager, agent), want, `${manager} / ${agent}`);
});

t.test('patch options', async (t) => {
  const cases: Array<[Parameters<typeof validatePatchOptions>[0], string[]]> = [
    [{ isApply: true, fieldManager: 'kubectl', force: true }, []],
    [{ isApply: true }, ['fieldManager: Required value: is required for apply patch']],
    [{ isApply: false, force: false, fieldManager: 'kubectl-patch' }, ['force: Forbidden: may not be specified for non-apply patch']],
    [{ isApply: false, fieldManager: 'a'.repeat(129) }, ['fieldManager: Too long: may not be more than 128 bytes']],
    [{ isApply: false, fieldManager: 'a\tb' }, ['fieldManager: Invalid value: "a\\tb": invalid character U+0009 (at position 1)']],
  ];
  for (const [opts, want] of cases) t.same(validatePatchOptions(opts).map((e) => `${e.field}: ${e.message}`), want, JSON.stringify(opts));
});
