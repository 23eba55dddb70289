/**
 * Manifests for the `kubectl logs` end-to-end tests: pods and workloads whose simulated
 * containers print known lines (sim.k8ts.io/* annotations, see
 * kubelet/runtime/simulated/sim-annotations.ts), so every assertion can name the exact
 * bytes kubectl must print. Also the search for rotated log parts under a data dir, which
 * shows a rotation really happened while a follow was running (a test of "every line
 * exactly once across rotation" proves nothing if nothing rotated).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface LogPodOptions {
  /** pod annotations (sim.k8ts.io/* and kubectl.kubernetes.io/default-container) */
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  containers?: string[];
  restartPolicy?: 'Always' | 'Never' | 'OnFailure';
}

/** a pod on the first node (no scheduler needed), each container running busybox */
export function logPod(name: string, o: LogPodOptions = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, annotations: o.annotations ?? {}, labels: o.labels ?? {} },
    spec: {
      nodeName: 'k8ts-node-1',
      restartPolicy: o.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: 0,
      containers: (o.containers ?? ['app']).map((c) => ({ name: c, image: 'busybox:1.36' })),
    },
  });
}

/** a Deployment of `replicas` pods labelled app=NAME that print `line` */
export function logDeployment(name: string, replicas: number, line: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: { 'sim.k8ts.io/logs': line } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'busybox:1.36' }] },
      },
    },
  });
}

/** a Job whose one pod prints `line` and exits 0 */
export function logJob(name: string, line: string): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      template: {
        metadata: { annotations: { 'sim.k8ts.io/logs': line, 'sim.k8ts.io/run-ms': '100' } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1.36' }] },
      },
    },
  });
}

const ROTATED_PART = /\.log\.\d{8}-\d{6}$/;

/** every rotated container log part (`N.log.YYYYMMDD-HHMMSS`) under `dir` whose path contains `podName` */
export async function rotatedPartsUnder(dir: string, podName: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (at: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(at, { withFileTypes: true });
    } catch {
      return; // removed while walking (a pod went away)
    }
    for (const entry of entries) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (ROTATED_PART.test(entry.name) && path.includes(podName)) found.push(path);
    }
  };
  await walk(dir);
  return found;
}

/** `tick <n>` lines in order as n = 1, 2, 3, … with none missing or repeated; returns the first problem */
export function tickSequenceProblem(lines: readonly string[]): string | undefined {
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== `tick ${i + 1}`) return `line ${i + 1} is ${JSON.stringify(lines[i])}, want "tick ${i + 1}"`;
  }
  return undefined;
}
