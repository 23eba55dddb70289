/**
 * End to end: the real kubectl (1.27, 1.28, 1.30, 1.32, 1.33) changing objects through
 * PATCH — client-side apply (created / configured / unchanged / pruned), server-side apply
 * (conflicts, --force-conflicts, managedFields, the client-side → server-side upgrade),
 * diff, edit with a scripted editor, patch in all three types (and on the status
 * subresource), label / annotate with --overwrite, removal and --resource-version, both
 * forms of scale, set image / set env, rollout restart / pause / resume and apply -k.
 * Every check is on what kubectl prints, as it prints it against a real cluster.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { e2eCluster } from './helpers/e2e.js';
import { hasKubectl, kubectlPath, type KubectlResult } from './helpers/kubectl.js';

// the oldest, a middle and the newest kubectl keep the suite within its time budget;
// K8TS_KUBECTL_VERSIONS=1.27,1.28,1.29,1.30,1.31,1.32,1.33 runs every installed one
const VERSIONS = process.env.K8TS_KUBECTL_VERSIONS?.split(',') ?? ['1.27', '1.30', '1.33'];

// several kubectl versions, one cluster each: more than tap's default per-file limit
t.setTimeout(600_000);

/** A Deployment manifest; `extra` lines go under spec (already indented by two). */
const deployment = (name: string, replicas: number, image = 'nginx:1.25') =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    `    matchLabels: {app: ${name}}`,
    '  template:',
    '    metadata:',
    `      labels: {app: ${name}}`,
    '    spec:',
    '      containers:',
    '      - name: nginx',
    `        image: ${image}`,
    '',
  ].join('\n');

const configMap = (name: string, data: Record<string, string>, labels: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

/** The text kubectl prints under a server-side apply conflict, after the first line. */
const CONFLICT_HELP = [
  'Please review the fields above--they currently have other managers. Here',
  'are the ways you can resolve this warning:',
  '* If you intend to manage all of these fields, please re-run the apply',
  '  command with the `--force-conflicts` flag.',
];

/**
 * kubectl with an EDITOR: the shared helper passes only PATH and HOME, and `kubectl edit`
 * needs the editor in its environment.
 */
function kubectlWithEditor(version: string, kubeconfig: string, home: string, editor: string, args: string[]): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      kubectlPath(version),
      ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, EDITOR: editor, KUBE_EDITOR: editor }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

for (const version of VERSIONS) {
  t.test(`kubectl ${version}`, { skip: hasKubectl(version) ? false : `kubectl ${version} is not installed` }, async (t) => {
    const { cluster, kubectl, ok, fails } = await e2eCluster(t, version);
    const work = await mkdtemp(join(tmpdir(), 'k8ts-patch-'));
    t.teardown(() => rm(work, { recursive: true, force: true }));
    const jsonOf = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json'])) as Record<string, any>;

    t.test('client-side apply: created, configured, unchanged, last-applied', async (t) => {
      t.equal(await ok(['apply', '-f', '-'], configMap('ap', { a: '1' })), 'configmap/ap created\n');
      const cm = await jsonOf(['get', 'cm', 'ap']);
      const lastApplied = cm.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] as string | undefined;
      t.ok(lastApplied, 'the last-applied-configuration annotation is stored');
      t.match(JSON.parse(lastApplied ?? '{}'), { kind: 'ConfigMap', metadata: { name: 'ap', namespace: 'default' }, data: { a: '1' } });
      t.equal(await ok(['apply', '-f', '-'], configMap('ap', { a: '2', b: '3' })), 'configmap/ap configured\n');
      t.same((await jsonOf(['get', 'cm', 'ap'])).data, { a: '2', b: '3' });
      t.equal(await ok(['apply', '-f', '-'], configMap('ap', { a: '2', b: '3' })), 'configmap/ap unchanged\n');
      // dropping a key from the manifest removes it from the object (three-way merge)
      t.equal(await ok(['apply', '-f', '-'], configMap('ap', { a: '2' })), 'configmap/ap configured\n');
      t.same((await jsonOf(['get', 'cm', 'ap'])).data, { a: '2' });
    });

    t.test('apply --prune removes what left the manifest', async (t) => {
      const prune = ['apply', '-f', '-', '--prune', '-l', 'app=x', '--prune-allowlist=core/v1/ConfigMap'];
      const both = [configMap('p1', { k: '1' }, { app: 'x' }), configMap('p2', { k: '2' }, { app: 'x' })];
      t.equal(await ok(prune, `{"apiVersion":"v1","kind":"List","items":[${both.join(',')}]}`), 'configmap/p1 created\nconfigmap/p2 created\n');
      t.equal(await ok(prune, both[0]), 'configmap/p1 unchanged\nconfigmap/p2 pruned\n');
      t.match(await fails(['get', 'cm', 'p2']), /Error from server \(NotFound\): configmaps "p2" not found/);
    });

    t.test('server-side apply: conflicts, --force-conflicts, managedFields', async (t) => {
      t.equal(await ok(['apply', '--server-side', '-f', '-'], deployment('ssa', 1)), 'deployment.apps/ssa serverside-applied\n');
      const other = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ssa\nspec:\n  replicas: 2\n';
      const conflict = await fails(['apply', '--server-side', '--field-manager=other', '-f', '-'], other);
      t.match(conflict, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas$/m);
      for (const line of CONFLICT_HELP) t.ok(conflict.includes(line), `help text: ${line}`);
      t.equal(await ok(['get', 'deploy', 'ssa', '-o', 'jsonpath={.spec.replicas}']), '1', 'a conflict changes nothing');
      t.equal(await ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], other), 'deployment.apps/ssa serverside-applied\n');
      t.equal(await ok(['get', 'deploy', 'ssa', '-o', 'jsonpath={.spec.replicas}']), '2');
      const yaml = await ok(['get', 'deploy', 'ssa', '-o', 'yaml', '--show-managed-fields']);
      t.match(yaml, /^  managedFields:$/m);
      t.match(yaml, /^  - apiVersion: apps\/v1\n    fieldsType: FieldsV1\n    fieldsV1:$/m);
      t.match(yaml, /^    manager: kubectl\n    operation: Apply$/m);
      t.match(yaml, /^    manager: other\n    operation: Apply$/m);
      t.match(yaml, /f:replicas: \{\}/, 'the field set names .spec.replicas');
      const plain = await ok(['get', 'deploy', 'ssa', '-o', 'yaml']);
      t.notMatch(plain, /managedFields/, 'kubectl hides managedFields by default');
      const managers = (await jsonOf(['get', 'deploy', 'ssa', '--show-managed-fields'])).metadata.managedFields as Array<{ manager: string; fieldsV1: unknown }>;
      const first = managers.find((m) => m.manager === 'kubectl');
      t.notMatch(JSON.stringify(first?.fieldsV1 ?? {}), /f:replicas/, 'forcing took .spec.replicas from the first manager');
      // create-on-apply: a server-side apply of a missing object creates it
      t.equal(await ok(['apply', '--server-side', '-f', '-'], configMap('ssa-cm', { a: '1' })), 'configmap/ssa-cm serverside-applied\n');
    });

    t.test('client-side apply then server-side apply: no conflicts', async (t) => {
      t.equal(await ok(['apply', '-f', '-'], deployment('upgrade', 1)), 'deployment.apps/upgrade created\n');
      t.equal(await ok(['apply', '--server-side', '-f', '-'], deployment('upgrade', 3)), 'deployment.apps/upgrade serverside-applied\n');
      t.equal(await ok(['get', 'deploy', 'upgrade', '-o', 'jsonpath={.spec.replicas}']), '3');
      const yaml = await ok(['get', 'deploy', 'upgrade', '-o', 'yaml', '--show-managed-fields']);
      t.match(yaml, /^    manager: kubectl\n    operation: Apply$/m);
    });

    t.test('diff -f: exit 1 and a unified diff, exit 0 when equal', async (t) => {
      await ok(['apply', '-f', '-'], deployment('differ', 1));
      const changed = await kubectl(['diff', '-f', '-'], { stdin: deployment('differ', 5) });
      t.equal(changed.code, 1, `diff exits 1 when different${changed.code > 1 ? `: ${changed.stderr}` : ''}`);
      t.match(changed.stdout, /^diff -u -N \S*LIVE-\S*\/apps\.v1\.Deployment\.default\.differ \S*MERGED-\S*\/apps\.v1\.Deployment\.default\.differ$/m);
      t.match(changed.stdout, /^--- \S*LIVE-\S*\/apps\.v1\.Deployment\.default\.differ\t/m);
      t.match(changed.stdout, /^-  replicas: 1$/m);
      t.match(changed.stdout, /^\+  replicas: 5$/m);
      t.match(changed.stdout, /^-  generation: 1$/m);
      t.match(changed.stdout, /^\+  generation: 2$/m);
      t.equal(await ok(['get', 'deploy', 'differ', '-o', 'jsonpath={.spec.replicas}']), '1', 'diff changes nothing (dry run)');
      const same = await kubectl(['diff', '-f', '-'], { stdin: deployment('differ', 1) });
      t.equal(same.code, 0, `diff exits 0 when equal: ${same.stderr}`);
      t.equal(same.stdout, '');
      const added = await kubectl(['diff', '-f', '-'], { stdin: configMap('not-yet', { a: '1' }) });
      t.equal(added.code, 1, 'a new object is a difference');
      t.match(added.stdout, /^\+  name: not-yet$/m);
      t.match(await fails(['get', 'cm', 'not-yet']), /NotFound/, 'diff of a new object creates nothing');
    });

    t.test('edit with a scripted editor', async (t) => {
      await ok(['create', '-f', '-'], configMap('ed', { a: 'one' }));
      const home = await mkdtemp(join(work, 'home-'));
      const editor = join(work, 'editor.sh');
      await writeFile(editor, '#!/bin/sh\nsed -i "s/a: one/a: edited/" "$1"\n');
      await chmod(editor, 0o755);
      const edited = await kubectlWithEditor(version, cluster.kubeconfigPath, home, editor, ['edit', 'cm', 'ed']);
      t.equal(edited.code, 0, edited.stderr);
      t.equal(edited.stdout, 'configmap/ed edited\n');
      t.equal(await ok(['get', 'cm', 'ed', '-o', 'jsonpath={.data.a}']), 'edited');
      const unchanged = await kubectlWithEditor(version, cluster.kubeconfigPath, home, 'true', ['edit', 'cm', 'ed']);
      t.equal(unchanged.code, 0, unchanged.stderr);
      t.match(unchanged.stdout + unchanged.stderr, /^Edit cancelled, no changes made\.$/m);
    });

    t.test('patch: json (with a failing test op), merge, strategic, status', async (t) => {
      await ok(['create', '-f', '-'], configMap('pt', { a: '1' }));
      t.equal(await ok(['patch', 'cm', 'pt', '--type=json', '-p', '[{"op":"replace","path":"/data/a","value":"2"}]']), 'configmap/pt patched\n');
      t.equal(await ok(['get', 'cm', 'pt', '-o', 'jsonpath={.data.a}']), '2');
      const failed = await fails(['patch', 'cm', 'pt', '--type=json', '-p', '[{"op":"test","path":"/data/a","value":"nope"},{"op":"remove","path":"/data/a"}]']);
      t.match(failed, /The request is invalid: the server rejected our request due to an error in our request/);
      t.equal(await ok(['get', 'cm', 'pt', '-o', 'jsonpath={.data.a}']), '2', 'a failed test op applies nothing');
      t.equal(await ok(['patch', 'cm', 'pt', '--type=merge', '-p', '{"data":{"b":"3"}}']), 'configmap/pt patched\n');
      t.same((await jsonOf(['get', 'cm', 'pt'])).data, { a: '2', b: '3' });
      t.equal(await ok(['patch', 'cm', 'pt', '--type=merge', '-p', '{"data":{"b":"3"}}']), 'configmap/pt patched (no change)\n');

      await ok(['create', '-f', '-'], deployment('web', 1));
      await ok(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"B","value":"2"}]}]}}}}']);
      t.equal(await ok(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"C","value":"3"}]}]}}}}']), 'deployment.apps/web patched\n');
      const container = (await jsonOf(['get', 'deploy', 'web'])).spec.template.spec.containers;
      t.equal(container.length, 1, 'containers merge by name');
      t.match(container[0], { name: 'nginx', image: 'nginx:1.25', env: [{ name: 'C', value: '3' }, { name: 'B', value: '2' }] }, 'env merges by name');

      await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports:\n  - port: 80\n');
      t.equal(
        await ok(['patch', 'svc', 'lb', '--subresource=status', '--type=merge', '-p', '{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.10"}]}}}']),
        'service/lb patched\n',
      );
      t.match(await ok(['get', 'svc', 'lb']), /^lb\s+LoadBalancer\s+\S+\s+192\.0\.2\.10\s+80:\d+\/TCP\s+\d+s$/m);
      await ok(['patch', 'svc', 'lb', '--type=merge', '-p', '{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.99"}]}}}']);
      t.equal(await ok(['get', 'svc', 'lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']), '192.0.2.10', 'the main resource ignores status');
    });

    t.test('label and annotate', async (t) => {
      // kubectl 1.27 itself prints "annotate" for the past tense (its own typo, fixed in 1.28)
      const annotated = version === '1.27' ? 'configmap/lb annotate\n' : 'configmap/lb annotated\n';
      await ok(['create', '-f', '-'], configMap('lb', {}));
      t.equal(await ok(['label', 'cm', 'lb', 'tier=front']), 'configmap/lb labeled\n');
      t.match(await fails(['label', 'cm', 'lb', 'tier=back']), /^error: 'tier' already has a value \(front\), and --overwrite is false$/m);
      t.equal(await ok(['label', 'cm', 'lb', 'tier=back', '--overwrite']), 'configmap/lb labeled\n');
      t.match(await ok(['get', 'cm', 'lb', '--show-labels']), /^lb\s+0\s+\d+s\s+tier=back$/m);
      t.equal(await ok(['label', 'cm', 'lb', 'tier-']), 'configmap/lb unlabeled\n');
      t.match(await ok(['get', 'cm', 'lb', '--show-labels']), /^lb\s+0\s+\d+s\s+<none>$/m);
      t.equal(await ok(['annotate', 'cm', 'lb', 'note=first']), annotated);
      t.match(await fails(['annotate', 'cm', 'lb', 'note=second']), /^error: --overwrite is false but found the following declared annotation\(s\): 'note' already has a value \(first\)$/m);
      t.equal(await ok(['annotate', 'cm', 'lb', 'note=second', '--overwrite']), annotated);
      t.equal(await ok(['get', 'cm', 'lb', '-o', 'jsonpath={.metadata.annotations.note}']), 'second');
      t.equal(await ok(['annotate', 'cm', 'lb', 'note-']), annotated);
      t.equal(await ok(['get', 'cm', 'lb', '-o', 'jsonpath={.metadata.annotations.note}']), '');
      t.match(
        await fails(['label', 'cm', 'lb', 'stale=yes', '--resource-version=1']),
        /^Error from server \(Conflict\): Operation cannot be fulfilled on configmaps "lb": the object has been modified; please apply your changes to the latest version and try again$/m,
      );
      const rv = await ok(['get', 'cm', 'lb', '-o', 'jsonpath={.metadata.resourceVersion}']);
      t.equal(await ok(['label', 'cm', 'lb', 'fresh=yes', `--resource-version=${rv}`]), 'configmap/lb labeled\n');
    });

    t.test('scale: merge patch and the PUT form', async (t) => {
      t.equal(await ok(['scale', 'deploy', 'web', '--replicas=3']), 'deployment.apps/web scaled\n');
      t.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '3');
      t.equal(await ok(['scale', 'deploy', 'web', '--current-replicas=3', '--replicas=2']), 'deployment.apps/web scaled\n');
      t.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '2');
      t.match(await fails(['scale', 'deploy', 'web', '--current-replicas=3', '--replicas=4']), /^error: Expected replicas to be 3, was 2$/m);
    });

    t.test('set image, set env, rollout restart / pause / resume', async (t) => {
      t.equal(await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']), 'deployment.apps/web image updated\n');
      t.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.27');
      t.equal(await ok(['set', 'env', 'deployment/web', 'A=1']), 'deployment.apps/web env updated\n');
      const env = (await jsonOf(['get', 'deploy', 'web'])).spec.template.spec.containers[0].env as Array<{ name: string; value: string }>;
      t.same(env.find((e) => e.name === 'A'), { name: 'A', value: '1' });
      t.equal(await ok(['rollout', 'restart', 'deployment/web']), 'deployment.apps/web restarted\n');
      const restartedAt = await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}']);
      t.match(restartedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/, 'restartedAt is an RFC 3339 time');
      t.equal(await ok(['rollout', 'pause', 'deployment/web']), 'deployment.apps/web paused\n');
      t.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.paused}']), 'true');
      t.equal(await ok(['rollout', 'resume', 'deployment/web']), 'deployment.apps/web resumed\n');
      t.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.paused}']), '', 'resume removes spec.paused');
    });

    t.test('apply -k with a configMapGenerator and commonLabels', async (t) => {
      const dir = await mkdtemp(join(work, 'kustomize-'));
      await writeFile(
        join(dir, 'kustomization.yaml'),
        ['commonLabels:', '  app: kz', 'configMapGenerator:', '- name: kz-config', '  literals:', '  - GREETING=hello', 'resources:', '- deployment.yaml', ''].join('\n'),
      );
      const deploy = deployment('kz', 1).replace('        image: nginx:1.25\n', '        image: nginx:1.25\n        envFrom:\n        - configMapRef: {name: kz-config}\n');
      await writeFile(join(dir, 'deployment.yaml'), deploy);
      const out = await ok(['apply', '-k', dir]);
      const cmName = /^configmap\/(kz-config-[a-z0-9]{10}) created$/m.exec(out)?.[1];
      t.ok(cmName, `the generated ConfigMap has a hash suffix: ${out}`);
      t.match(out, /^deployment\.apps\/kz created$/m);
      const made = await jsonOf(['get', 'deploy', 'kz']);
      t.match(made.metadata.labels, { app: 'kz' });
      t.match(made.spec.selector.matchLabels, { app: 'kz' });
      t.equal(made.spec.template.spec.containers[0].envFrom[0].configMapRef.name, cmName, 'the reference follows the generated name');
      t.equal(await ok(['get', 'cm', cmName ?? 'missing', '-o', 'jsonpath={.data.GREETING}']), 'hello');
      t.match(await ok(['apply', '-k', dir]), /^deployment\.apps\/kz unchanged$/m);
    });
  });
}
