/**
 * End to end: the rest of the built-in catalogue with the real kubectl (1.27, 1.30, 1.33)
 * against a real startCluster: api-resources as on a real cluster, create -f / replace /
 * delete of every kind, the defaults kube applies, `get all`, the kinds' columns,
 * `explain` on a nested field of each kind, `scale` through the scale subresource (PUT
 * form), and validation errors as kubectl prints them.
 */
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { e2eCluster } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { sourcePath } from './helpers/source-path.js';

const VERSIONS = ['1.27', '1.30', '1.33'];
const MANIFEST = sourcePath(import.meta.url, './manifests/catalogue.yaml');

/** NAME SHORTNAMES APIVERSION NAMESPACED KIND, as `kubectl api-resources` prints them */
const API_RESOURCES: Array<[string, string, string, boolean, string]> = [
  ['controllerrevisions', '', 'apps/v1', true, 'ControllerRevision'],
  ['daemonsets', 'ds', 'apps/v1', true, 'DaemonSet'],
  ['deployments', 'deploy', 'apps/v1', true, 'Deployment'],
  ['replicasets', 'rs', 'apps/v1', true, 'ReplicaSet'],
  ['statefulsets', 'sts', 'apps/v1', true, 'StatefulSet'],
  ['selfsubjectreviews', '', 'authentication.k8s.io/v1', false, 'SelfSubjectReview'],
  ['tokenreviews', '', 'authentication.k8s.io/v1', false, 'TokenReview'],
  ['localsubjectaccessreviews', '', 'authorization.k8s.io/v1', true, 'LocalSubjectAccessReview'],
  ['selfsubjectaccessreviews', '', 'authorization.k8s.io/v1', false, 'SelfSubjectAccessReview'],
  ['selfsubjectrulesreviews', '', 'authorization.k8s.io/v1', false, 'SelfSubjectRulesReview'],
  ['subjectaccessreviews', '', 'authorization.k8s.io/v1', false, 'SubjectAccessReview'],
  ['cronjobs', 'cj', 'batch/v1', true, 'CronJob'],
  ['jobs', '', 'batch/v1', true, 'Job'],
  ['endpointslices', '', 'discovery.k8s.io/v1', true, 'EndpointSlice'],
  ['ingressclasses', '', 'networking.k8s.io/v1', false, 'IngressClass'],
  ['ingresses', 'ing', 'networking.k8s.io/v1', true, 'Ingress'],
  ['networkpolicies', 'netpol', 'networking.k8s.io/v1', true, 'NetworkPolicy'],
  ['runtimeclasses', '', 'node.k8s.io/v1', false, 'RuntimeClass'],
  ['poddisruptionbudgets', 'pdb', 'policy/v1', true, 'PodDisruptionBudget'],
  ['clusterrolebindings', '', 'rbac.authorization.k8s.io/v1', false, 'ClusterRoleBinding'],
  ['clusterroles', '', 'rbac.authorization.k8s.io/v1', false, 'ClusterRole'],
  ['rolebindings', '', 'rbac.authorization.k8s.io/v1', true, 'RoleBinding'],
  ['roles', '', 'rbac.authorization.k8s.io/v1', true, 'Role'],
  ['priorityclasses', 'pc', 'scheduling.k8s.io/v1', false, 'PriorityClass'],
  ['csidrivers', '', 'storage.k8s.io/v1', false, 'CSIDriver'],
  ['csinodes', '', 'storage.k8s.io/v1', false, 'CSINode'],
  ['storageclasses', 'sc', 'storage.k8s.io/v1', false, 'StorageClass'],
  ['volumeattachments', '', 'storage.k8s.io/v1', false, 'VolumeAttachment'],
];

/** a nested field of each kind for `kubectl explain` */
const EXPLAIN = [
  'deployments.spec.strategy.rollingUpdate',
  'replicasets.spec.template.spec.containers',
  'statefulsets.spec.updateStrategy',
  'daemonsets.spec.updateStrategy.rollingUpdate',
  'controllerrevisions.revision',
  'jobs.spec.backoffLimit',
  'cronjobs.spec.jobTemplate.spec',
  'endpointslices.endpoints.conditions',
  'poddisruptionbudgets.spec.minAvailable',
  'priorityclasses.preemptionPolicy',
  'roles.rules.verbs',
  'rolebindings.roleRef',
  'clusterroles.aggregationRule',
  'clusterrolebindings.subjects',
  'ingresses.spec.rules.http.paths',
  'ingressclasses.spec.controller',
  'networkpolicies.spec.ingress.from',
  'storageclasses.volumeBindingMode',
  'runtimeclasses.overhead',
  'tokenreviews.spec.token',
  'selfsubjectaccessreviews.spec.resourceAttributes',
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

for (const version of VERSIONS) {
  t.test(`kubectl ${version}`, { skip: hasKubectl(version) ? false : `kubectl ${version} is not installed` }, async (t) => {
    const { ok, fails } = await e2eCluster(t, version);
    const manifest = await readFile(MANIFEST, 'utf8');

    t.test('api-resources and api-versions list every kind as a real cluster does', async (t) => {
      const out = await ok(['api-resources']);
      for (const [name, short, apiVersion, namespaced, kind] of API_RESOURCES) {
        const line = `^${name}\\s+${short ? `${escape(short)}\\s+` : ''}${escape(apiVersion)}\\s+${namespaced}\\s+${kind}$`;
        t.match(out, new RegExp(line, 'm'), `${name} ${short} ${apiVersion} ${namespaced} ${kind}`);
      }
      const versions = await ok(['api-versions']);
      for (const gv of ['apps/v1', 'batch/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'networking.k8s.io/v1', 'storage.k8s.io/v1', 'node.k8s.io/v1', 'scheduling.k8s.io/v1', 'discovery.k8s.io/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1'])
        t.match(versions, new RegExp(`^${escape(gv)}$`, 'm'), gv);
    });

    t.test('explain a nested field of each kind', async (t) => {
      for (const path of EXPLAIN) {
        const field = path.split('.').pop()!;
        t.match(await ok(['explain', path]), new RegExp(`FIELD:\\s+${field}`), path);
      }
    });

    t.test('objects made at start', async (t) => {
      t.match(await ok(['get', 'pc']), /^system-cluster-critical\s+2000000000\s+false\s+/m);
      t.match(await ok(['get', 'pc']), /^system-node-critical\s+2000001000\s+false\s+/m);
      t.match(await ok(['get', 'clusterrole', 'cluster-admin', '-o', 'name']), /^clusterrole\.rbac\.authorization\.k8s\.io\/cluster-admin$/m);
      t.match(await ok(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']), /^cluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters/m);
    });

    t.test('create -f every kind, with kube defaults and columns', async (t) => {
      const created = await ok(['create', '-f', '-'], manifest);
      for (const line of [
        'deployment.apps/web created',
        'replicaset.apps/rs1 created',
        'statefulset.apps/db created',
        'daemonset.apps/agent created',
        'controllerrevision.apps/agent-1 created',
        'job.batch/once created',
        'cronjob.batch/nightly created',
        'endpointslice.discovery.k8s.io/web-abc created',
        'poddisruptionbudget.policy/web-pdb created',
        'priorityclass.scheduling.k8s.io/high created',
        'role.rbac.authorization.k8s.io/reader created',
        'rolebinding.rbac.authorization.k8s.io/reader-binding created',
        'clusterrole.rbac.authorization.k8s.io/node-reader created',
        'clusterrolebinding.rbac.authorization.k8s.io/node-reader-binding created',
        'ingressclass.networking.k8s.io/nginx created',
        'ingress.networking.k8s.io/web created',
        'networkpolicy.networking.k8s.io/deny-all created',
        'storageclass.storage.k8s.io/fast created',
        'runtimeclass.node.k8s.io/gvisor created',
      ])
        t.match(created, new RegExp(`^${escape(line)}$`, 'm'), line);

      const deploy = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json']));
      t.match(deploy.spec, {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      });
      t.match(deploy.spec.template.spec, { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
      const job = JSON.parse(await ok(['get', 'job', 'once', '-o', 'json']));
      t.match(job.spec, { backoffLimit: 6, completions: 1, parallelism: 1, completionMode: 'NonIndexed' });
      t.match(job.spec.selector.matchLabels, { 'batch.kubernetes.io/controller-uid': job.metadata.uid });
      const sts = JSON.parse(await ok(['get', 'sts', 'db', '-o', 'json']));
      t.match(sts.spec, { podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } });
      const sc = JSON.parse(await ok(['get', 'sc', 'fast', '-o', 'json']));
      t.match(sc, { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });

      t.match(await ok(['get', 'deploy']), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/1\s+0\s+0\s+\d+s$/m);
      t.match(await ok(['get', 'deploy', '-o', 'wide']), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+0\/1\s+0\s+0\s+\d+s\s+nginx\s+nginx:1\.25\s+app=web$/m);
      t.match(await ok(['get', 'rs', 'rs1']), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nrs1\s+1\s+0\s+0\s+\d+s$/m);
      t.match(await ok(['get', 'sts']), /^NAME\s+READY\s+AGE\ndb\s+0\/1\s+\d+s$/m);
      t.match(await ok(['get', 'ds']), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nagent\s+0\s+0\s+0\s+0\s+0\s+<none>\s+\d+s$/m);
      t.match(await ok(['get', 'cj']), /^NAME\s+SCHEDULE\s+(TIMEZONE\s+)?SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\nnightly\s+0 3 \* \* \*\s+(Europe\/Berlin\s+)?False\s+0\s+<none>\s+\d+s$/m);
      t.match(await ok(['get', 'pdb']), /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb-pdb\s+1\s+N\/A\s+0\s+\d+s$/m);
      t.match(await ok(['get', 'ing']), /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\nweb\s+nginx\s+web\.example\.com\s+80\s+\d+s$/m);
      t.match(await ok(['get', 'sc']), /^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\nfast\s+example\.com\/fast\s+Delete\s+Immediate\s+false\s+\d+s$/m);
      t.match(await ok(['get', 'rolebinding', 'reader-binding', '-o', 'wide']), /^reader-binding\s+Role\/reader\s+\d+s\s+jane\s*$/m);
      t.match(await ok(['get', 'runtimeclass']), /^gvisor\s+runsc\s+\d+s$/m);
    });

    t.test('get all lists the workload kinds', async (t) => {
      const all = await ok(['get', 'all']);
      for (const name of ['service/kubernetes', 'deployment.apps/web', 'replicaset.apps/rs1', 'statefulset.apps/db', 'daemonset.apps/agent', 'job.batch/once', 'cronjob.batch/nightly'])
        t.match(all, new RegExp(`^${escape(name)}\\s`, 'm'), name);
    });

    t.test('scale through the scale subresource (PUT form)', async (t) => {
      for (const [kind, name] of [['deployment.apps', 'web'], ['replicaset.apps', 'rs1'], ['statefulset.apps', 'db']] as const) {
        t.match(await ok(['scale', `${kind}/${name}`, '--current-replicas=1', '--replicas=3']), new RegExp(`${escape(kind)}/${name} scaled`));
        t.equal(await ok(['get', `${kind}/${name}`, '-o', 'jsonpath={.spec.replicas}']), '3');
      }
      t.match(await fails(['scale', 'deployment.apps/web', '--current-replicas=1', '--replicas=2']), /Expected replicas to be 1, was 3/);
    });

    t.test('replace, immutable fields and validation errors', async (t) => {
      const deploy = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json']));
      deploy.spec.template.spec.containers[0].image = 'nginx:1.27';
      t.match(await ok(['replace', '-f', '-'], JSON.stringify(deploy)), /deployment\.apps\/web replaced/);
      const after = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json']));
      t.ok(after.metadata.generation > deploy.metadata.generation, 'a template change bumps generation');
      after.spec.selector = { matchLabels: { app: 'other' } };
      after.spec.template.metadata.labels = { app: 'other' };
      t.match(await fails(['replace', '-f', '-'], JSON.stringify(after)), /The Deployment "web" is invalid: spec\.selector: Invalid value: .*field is immutable/);
      const mismatch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: b}}\n    spec:\n      containers: [{name: c, image: x}]\n';
      t.match(await fails(['create', '-f', '-'], mismatch), /The Deployment "bad" is invalid: spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
      const badCron = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: badcron}\nspec:\n  schedule: "61 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: x}]\n';
      t.match(await fails(['create', '-f', '-'], badCron), /The CronJob "badcron" is invalid: spec\.schedule: Invalid value: "61 \* \* \* \*"/);
      const badJob = 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: badjob}\nspec:\n  template:\n    spec:\n      restartPolicy: Always\n      containers: [{name: c, image: x}]\n';
      t.match(await fails(['create', '-f', '-'], badJob), /The Job "badjob" is invalid: spec\.template\.spec\.restartPolicy: Required value: valid values: "OnFailure", "Never"/);
      const badBinding = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: bad}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: x}\n';
      t.match(await fails(['create', '-f', '-'], badBinding), /The ClusterRoleBinding "bad" is invalid: roleRef\.kind: Unsupported value: "Role": supported values: "ClusterRole"/);
    });

    t.test('delete -f removes every kind', async (t) => {
      const deleted = await ok(['delete', '-f', '-', '--wait=false'], manifest);
      t.match(deleted, /deployment\.apps "web" deleted/);
      t.match(deleted, /runtimeclass\.node\.k8s\.io "gvisor" deleted/);
      t.match(await fails(['get', 'deploy', 'web']), /Error from server \(NotFound\): deployments\.apps "web" not found/);
    });
  });
}
