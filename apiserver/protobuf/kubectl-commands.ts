/**
 * The kubectl 1.33 commands whose typed clients send protobuf bodies, by fixture name.
 * `files` names the TLS pair `create secret tls` reads (written by the caller).
 * FULL_CRONJOB is created (as JSON) before the commands run: `create job --from` copies
 * its job template, so kubectl itself encodes nearly every pod template field we decode.
 */
export interface CaptureCommand {
  name: string;
  args: (files: { cert: string; key: string }) => string[];
}

export const CAPTURE_COMMANDS: CaptureCommand[] = [
  { name: 'configmap', args: () => ['create', 'configmap', 'cm1', '--from-literal=a=b', '--from-literal=c=d'] },
  { name: 'secret-generic', args: () => ['create', 'secret', 'generic', 's1', '--from-literal=user=admin', '--type=Opaque'] },
  {
    name: 'secret-docker-registry',
    args: () => ['create', 'secret', 'docker-registry', 'reg1', '--docker-server=r.example.com', '--docker-username=u', '--docker-password=p'],
  },
  { name: 'secret-tls', args: (f) => ['create', 'secret', 'tls', 'tls1', `--cert=${f.cert}`, `--key=${f.key}`] },
  { name: 'namespace', args: () => ['create', 'namespace', 'ns1'] },
  { name: 'serviceaccount', args: () => ['create', 'serviceaccount', 'sa1'] },
  { name: 'deployment', args: () => ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80', '--', 'nginx', '-g', 'daemon off;'] },
  { name: 'service-clusterip', args: () => ['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080'] },
  { name: 'service-nodeport', args: () => ['create', 'service', 'nodeport', 'svc2', '--tcp=443:https', '--node-port=30080'] },
  { name: 'service-loadbalancer', args: () => ['create', 'service', 'loadbalancer', 'svc3', '--tcp=5678:8080'] },
  { name: 'service-externalname', args: () => ['create', 'service', 'externalname', 'svc4', '--external-name=example.com'] },
  { name: 'job', args: () => ['create', 'job', 'j1', '--image=busybox', '--', 'echo', 'hi'] },
  { name: 'cronjob', args: () => ['create', 'cronjob', 'cj1', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date'] },
  { name: 'role', args: () => ['create', 'role', 'r1', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=x'] },
  { name: 'rolebinding', args: () => ['create', 'rolebinding', 'rb1', '--role=r1', '--user=bob', '--serviceaccount=default:sa1'] },
  { name: 'clusterrole', args: () => ['create', 'clusterrole', 'cr1', '--verb=get', '--non-resource-url=/healthz'] },
  { name: 'clusterrole-aggregated', args: () => ['create', 'clusterrole', 'cr2', '--aggregation-rule=rbac.example.com/aggregate=true'] },
  { name: 'clusterrolebinding', args: () => ['create', 'clusterrolebinding', 'crb1', '--clusterrole=cr1', '--group=devs'] },
  { name: 'quota', args: () => ['create', 'quota', 'q1', '--hard=cpu=1,memory=1Gi,pods=2', '--scopes=BestEffort'] },
  {
    name: 'priorityclass',
    args: () => ['create', 'priorityclass', 'pc1', '--value=1000', '--description=high', '--preemption-policy=Never'],
  },
  { name: 'pdb', args: () => ['create', 'poddisruptionbudget', 'pdb1', '--selector=app=web', '--min-available=50%'] },
  {
    name: 'ingress',
    args: () => ['create', 'ingress', 'ing1', '--class=nginx', '--rule=foo.com/bar*=svc1:80,tls=sec1', '--default-backend=svc2:http'],
  },
  { name: 'token', args: () => ['create', 'token', 'sa1', '--duration=1h', '--audience=api'] },
  { name: 'can-i', args: () => ['auth', 'can-i', 'list', 'deployments.apps', '-n', 'kube-system'] },
  { name: 'can-i-nonresource', args: () => ['auth', 'can-i', 'get', '/healthz'] },
  { name: 'can-i-list', args: () => ['auth', 'can-i', '--list', '-n', 'default'] },
  { name: 'whoami', args: () => ['auth', 'whoami'] },
  { name: 'job-from-cronjob', args: () => ['create', 'job', 'j2', '--from=cronjob/full'] },
];

export const FULL_CRONJOB = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: full, namespace: default}
spec:
  schedule: '@hourly'
  timeZone: Etc/UTC
  startingDeadlineSeconds: 30
  concurrencyPolicy: Forbid
  suspend: true
  successfulJobsHistoryLimit: 2
  failedJobsHistoryLimit: 1
  jobTemplate:
    metadata: {labels: {a: b}}
    spec:
      parallelism: 2
      completions: 4
      activeDeadlineSeconds: 100
      backoffLimit: 3
      ttlSecondsAfterFinished: 60
      completionMode: Indexed
      backoffLimitPerIndex: 1
      maxFailedIndexes: 2
      podReplacementPolicy: Failed
      manualSelector: false
      template:
        metadata: {labels: {a: b}, annotations: {x: 'z'}}
        spec:
          restartPolicy: Never
          terminationGracePeriodSeconds: 5
          activeDeadlineSeconds: 50
          dnsPolicy: ClusterFirst
          nodeSelector: {disk: ssd}
          serviceAccountName: sa
          automountServiceAccountToken: false
          hostNetwork: true
          hostPID: true
          hostIPC: true
          shareProcessNamespace: true
          securityContext: {runAsUser: 1, runAsNonRoot: true, supplementalGroups: [5, 6], fsGroup: 7, runAsGroup: 8, fsGroupChangePolicy: Always, seccompProfile: {type: RuntimeDefault}}
          imagePullSecrets: [{name: reg}]
          hostname: h
          subdomain: s
          schedulerName: default-scheduler
          tolerations: [{key: k, operator: Equal, value: v, effect: NoExecute, tolerationSeconds: 9}]
          priorityClassName: pc
          priority: 10
          runtimeClassName: rc
          enableServiceLinks: false
          preemptionPolicy: Never
          setHostnameAsFQDN: true
          hostUsers: false
          volumes:
          - {name: a, hostPath: {path: /x, type: Directory}}
          - {name: b, emptyDir: {medium: Memory, sizeLimit: 1Gi}}
          - {name: c, secret: {secretName: s, items: [{key: k, path: p, mode: 256}], defaultMode: 420, optional: true}}
          - {name: d, persistentVolumeClaim: {claimName: pvc, readOnly: true}}
          - {name: e, configMap: {name: cm, items: [{key: k, path: p}], defaultMode: 420, optional: false}}
          initContainers: [{name: init, image: busybox, restartPolicy: Always}]
          containers:
          - name: c
            image: img
            command: [a]
            args: [b]
            workingDir: /w
            ports: [{name: http, hostPort: 80, containerPort: 80, protocol: TCP, hostIP: 1.2.3.4}]
            envFrom: [{prefix: P_, configMapRef: {name: cm, optional: true}}, {secretRef: {name: s, optional: false}}]
            env:
            - {name: A, value: x}
            - {name: B, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.name}}}
            - {name: C, valueFrom: {resourceFieldRef: {containerName: c, resource: limits.cpu, divisor: 1m}}}
            - {name: D, valueFrom: {configMapKeyRef: {name: cm, key: k, optional: true}}}
            - {name: E, valueFrom: {secretKeyRef: {name: s, key: k, optional: false}}}
            resources: {limits: {cpu: '1'}, requests: {cpu: 500m, memory: 1Gi}}
            resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]
            volumeMounts:
            - {name: a, readOnly: true, mountPath: /a, subPath: s, mountPropagation: None}
            - {name: b, mountPath: /b, subPathExpr: $(A), recursiveReadOnly: Disabled}
            livenessProbe: {exec: {command: ['true']}, initialDelaySeconds: 1, timeoutSeconds: 2, periodSeconds: 3, successThreshold: 1, failureThreshold: 5, terminationGracePeriodSeconds: 6}
            readinessProbe: {httpGet: {path: /r, port: 80, host: h, scheme: HTTPS, httpHeaders: [{name: X, value: 'yy'}]}}
            startupProbe: {tcpSocket: {port: http, host: h}}
            terminationMessagePath: /t
            terminationMessagePolicy: File
            imagePullPolicy: Always
            securityContext: {capabilities: {add: [NET_ADMIN], drop: [ALL]}, privileged: false, runAsUser: 2, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsGroup: 3, procMount: Default, seccompProfile: {type: Localhost, localhostProfile: p.json}}
            stdin: true
            stdinOnce: true
            tty: true
          - {name: g, image: img, readinessProbe: {grpc: {port: 9, service: svc}}}
`;
