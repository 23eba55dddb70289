/**
 * End to end: the real kubectl (1.27, 1.30, 1.33) against a real startCluster, checking
 * what kubectl prints for get (tables, wide, -o yaml/json/jsonpath, -A, -l,
 * --field-selector, --show-labels, paging, -w), create -f, replace, delete with each
 * --cascade, explain, api-resources, api-versions, cluster-info and the error paths.
 */
import t from 'tap';
import { e2eCluster } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';

const VERSIONS = ['1.27', '1.30', '1.33'];

for (const version of VERSIONS) {
  t.test(`kubectl ${version}`, { skip: hasKubectl(version) ? false : `kubectl ${version} is not installed` }, async (t) => {
    const { kubectl, ok, fails } = await e2eCluster(t, version);

    t.test('discovery and info', async (t) => {
      const resources = await ok(['api-resources']);
      t.match(resources, /^pods\s+po\s+v1\s+true\s+Pod$/m);
      t.match(resources, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
      t.match(resources, /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
      const versions = await ok(['api-versions']);
      t.match(versions, /^v1$/m);
      t.match(versions, /^coordination\.k8s\.io\/v1$/m);
      const info = (await ok(['cluster-info'])).replace(/\u001b\[[0-9;]*m/g, '');
      t.match(info, /Kubernetes control plane is running at https:\/\/127\.0\.0\.1:\d+/);
      t.match(await ok(['explain', 'pods.spec.containers']), /FIELD:\s+containers/);
    });

    t.test('namespaces and tables', async (t) => {
      const ns = await ok(['get', 'ns']);
      t.match(ns, /^NAME\s+STATUS\s+AGE$/m);
      for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) t.match(ns, new RegExp(`^${name}\\s+Active\\s+\\d+s$`, 'm'));
      t.match(await ok(['get', 'svc', 'kubernetes']), /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\d+s$/m);
    });

    t.test('create -f, get in every format, selectors, paging', async (t) => {
      const manifest = ['a', 'b', 'c']
        .map((n, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${n}\n  labels:\n    app: ${i < 2 ? 'web' : 'db'}\ndata:\n  key: value-${n}\n`)
        .join('---\n');
      const created = await ok(['create', '-f', '-'], manifest);
      t.match(created, /configmap\/cm-a created\nconfigmap\/cm-b created\nconfigmap\/cm-c created/);
      const list = await ok(['get', 'cm']);
      t.match(list, /^NAME\s+DATA\s+AGE$/m);
      t.match(list, /^cm-a\s+1\s+\d+s$/m);
      t.match(await ok(['get', 'cm', '-l', 'app=web', '-o', 'name']), /^configmap\/cm-a\nconfigmap\/cm-b\n$/);
      t.match(await ok(['get', 'cm', '--field-selector', 'metadata.name=cm-c', '-o', 'name']), /^configmap\/cm-c\n$/);
      t.match(await ok(['get', 'cm', 'cm-a', '--show-labels']), /^cm-a\s+1\s+\d+s\s+app=web$/m);
      t.match(await ok(['get', 'cm', '-A']), /^default\s+cm-a\s+1\s+\d+s$/m);
      t.match(await ok(['get', 'cm', 'cm-b', '-o', 'jsonpath={.data.key}']), /^value-b$/);
      const yaml = await ok(['get', 'cm', 'cm-a', '-o', 'yaml']);
      t.match(yaml, /^kind: ConfigMap$/m);
      t.match(yaml, /^  resourceVersion: "\d+"$/m);
      const json = JSON.parse(await ok(['get', 'cm', '-o', 'json', '--chunk-size=1']));
      t.equal(json.items.filter((i: { metadata: { name: string } }) => i.metadata.name.startsWith('cm-')).length, 3, 'paging with --chunk-size');
      t.match(await ok(['get', 'cm', '--chunk-size=2', '-l', 'app']), /cm-c/);
    });

    t.test('replace and conflicts', async (t) => {
      const cm = JSON.parse(await ok(['get', 'cm', 'cm-a', '-o', 'json']));
      cm.data.key = 'changed';
      t.match(await ok(['replace', '-f', '-'], JSON.stringify(cm)), /configmap\/cm-a replaced/);
      cm.data.key = 'stale';
      const stderr = await fails(['replace', '-f', '-'], JSON.stringify(cm));
      t.match(stderr, /Error from server \(Conflict\): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "cm-a": the object has been modified; please apply your changes to the latest version and try again/);
    });

    t.test('errors as kubectl prints them', async (t) => {
      t.match(await fails(['get', 'cm', 'nope']), /Error from server \(NotFound\): configmaps "nope" not found/);
      t.match(await fails(['get', 'nothings']), /the server doesn't have a resource type "nothings"/);
      t.match(await fails(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n'), /The ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/);
      t.match(await fails(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-a\n'), /Error from server \(AlreadyExists\): error when creating "STDIN": configmaps "cm-a" already exists/);
      // kubectl itself looks the namespace up after a NotFound, as against any cluster
      t.match(
        await fails(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\nspec:\n  x: 1\n'),
        /Error from server \(BadRequest\): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"/,
      );
      t.match(await fails(['get', 'cm', '-n', 'nowhere', 'x']), /Error from server \(NotFound\): namespaces "nowhere" not found/);
      t.match(await fails(['create', '-n', 'nowhere', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'), /namespaces "nowhere" not found/);
    });

    t.test('delete with each --cascade', async (t) => {
      const hold = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  finalizers: [example.com/hold]\n`;
      for (const [cascade, finalizer] of [['foreground', 'foregroundDeletion'], ['orphan', 'orphan']] as const) {
        const name = `del-${cascade}`;
        await ok(['create', '-f', '-'], hold(name));
        t.match(await ok(['delete', 'cm', name, `--cascade=${cascade}`, '--wait=false']), new RegExp(`configmap "${name}" deleted`));
        const obj = JSON.parse(await ok(['get', 'cm', name, '-o', 'json']));
        t.ok(obj.metadata.deletionTimestamp, 'marked for deletion');
        t.ok(obj.metadata.finalizers.includes(finalizer), `records ${finalizer}`);
      }
      await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: del-bg\n');
      t.match(await ok(['delete', 'cm', 'del-bg', '--cascade=background']), /configmap "del-bg" deleted/);
      t.match(await fails(['get', 'cm', 'del-bg']), /NotFound/);
    });

    t.test('pods: defaults, columns, wide, delete', async (t) => {
      const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n';
      t.match(await ok(['create', '-f', '-'], pod), /pod\/web created/);
      t.match(await ok(['get', 'pods']), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb\s+0\/1\s+Pending\s+0\s+\d+s$/m);
      t.match(await ok(['get', 'po', '-o', 'wide']), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\nweb\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>$/m);
      const obj = JSON.parse(await ok(['get', 'pod', 'web', '-o', 'json']));
      t.match(obj.spec, { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 });
      t.match(obj.spec.containers[0], { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
      t.equal(obj.status.phase, 'Pending');
      t.match(await ok(['get', 'pods', '--field-selector', 'spec.nodeName=', '-o', 'name']), /^pod\/web$/m, 'unscheduled pods by field selector');
      t.match(await fails(['create', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers: []\n'), /The Pod "bad" is invalid: spec\.containers: Required value/);
      t.match(await ok(['delete', 'pod', 'web']), /pod "web" deleted/, 'an unscheduled pod goes at once');
      t.match(await fails(['get', 'pod', 'web']), /NotFound/);
    });

    t.test('a terminating namespace takes no new objects', async (t) => {
      await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: doomed\n');
      t.match(await ok(['delete', 'ns', 'doomed', '--wait=false']), /namespace "doomed" deleted/);
      t.match(await ok(['get', 'ns', 'doomed']), /^doomed\s+Terminating\s+\d+s$/m);
      t.match(
        await fails(['create', '-n', 'doomed', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n'),
        /Error from server \(Forbidden\): error when creating "STDIN": configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated/,
      );
    });

    t.test('get -w sees changes', async (t) => {
      const watching = kubectl(['get', 'cm', '-w', '--request-timeout=4s'], { timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 1500));
      await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n');
      const r = await watching;
      t.match(r.stdout, /^watched\s+0\s+\d+s$/m);
    });
  });
}
