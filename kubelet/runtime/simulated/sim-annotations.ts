/**
 * How a simulated container behaves, read from its pod's annotations (which reach the
 * runtime as PodSandboxConfig.annotations). Every setting is `sim.k8ts.io/<name>`, and
 * `sim.k8ts.io/<name>.<containerName>` overrides it for one container, so a manifest can
 * say "every container starts in 2 s, but `migrate` exits 1 after 500 ms":
 *
 *   sim.k8ts.io/start-ms: "2000"
 *   sim.k8ts.io/run-ms.migrate: "500"
 *   sim.k8ts.io/exit-code.migrate: "1"
 *
 * The settings are read once, when the container is created, so a running container's
 * behaviour does not change under it (pod annotations can change; a real process would
 * not notice either). A malformed value falls back to the default with a warning rather
 * than failing the container: the annotation is a test knob, not part of the pod's API.
 */
import type { ContainerType } from '../../cri/labels.js';

export const SIM_ANNOTATION_PREFIX = 'sim.k8ts.io/';

/** the answer probeContainer gives for this container */
export type ProbeBehaviour = { kind: 'pass' } | { kind: 'fail' } | { kind: 'fail-after'; afterMs: number };

export interface ContainerLifecycle {
  /** from startContainer to RUNNING */
  startMs: number;
  /** from RUNNING to its own exit; undefined = runs until stopped */
  runMs: number | undefined;
  exitCode: number;
  /** from SIGTERM to exit */
  terminationMs: number;
  probe: ProbeBehaviour;
  /** stdout lines printed on start */
  logLines: string[];
  /** lines printed on exit (stderr when the exit code is not 0) */
  logsOnExit: string[];
  /** print `tick <n>` on stdout this often while running (for `kubectl logs -f`); undefined = never */
  logEveryMs: number | undefined;
  /** written to the termination-log mount on exit, when set */
  terminationMessage: string | undefined;
}

export interface LifecycleSubject {
  namespace: string;
  pod: string;
  container: string;
  type: ContainerType;
}

/** the value for one container: the per-container key wins over the pod-wide one */
export const simAnnotation = (annotations: Record<string, string>, name: string, container: string): string | undefined =>
  annotations[`${SIM_ANNOTATION_PREFIX}${name}.${container}`] ?? annotations[`${SIM_ANNOTATION_PREFIX}${name}`];

export function readContainerLifecycle(
  annotations: Record<string, string>,
  subject: LifecycleSubject,
  warn: (message: string) => void,
): ContainerLifecycle {
  // Most pods carry no sim.k8ts.io/* annotation: skip building keys for them.
  let any = false;
  for (const _ in annotations) {
    any = true;
    break;
  }
  const get = (name: string) => (any ? simAnnotation(annotations, name, subject.container) : undefined);
  const where = `container ${subject.container} of pod ${subject.namespace}/${subject.pod}`;
  // undefined fallback = "no value" (run-ms: run until stopped)
  function number(name: string, fallback: number, max?: number): number;
  function number(name: string, fallback: number | undefined, max?: number): number | undefined;
  function number(name: string, fallback: number | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const raw = get(name);
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= 0 && value <= max) return value;
    warn(`${SIM_ANNOTATION_PREFIX}${name}=${JSON.stringify(raw)} on ${where}: want an integer from 0 to ${max}; using ${fallback ?? 'the default'}`);
    return fallback;
  }
  // Init containers are the ones expected to finish; everything else serves until stopped.
  const defaultRunMs = subject.type === 'init' ? 0 : undefined;
  const logs = get('logs');
  const logsOnExit = get('logs-on-exit');
  return {
    startMs: number('start-ms', 0),
    runMs: number('run-ms', defaultRunMs),
    exitCode: number('exit-code', 0, 255),
    terminationMs: number('termination-ms', 0),
    probe: readProbeBehaviour(get('probe'), (message) => warn(`${message} on ${where}`)),
    logLines: logs === undefined ? [`k8ts simulated container ${subject.container} of pod ${subject.namespace}/${subject.pod} started`] : splitLines(logs),
    logsOnExit: logsOnExit === undefined ? [] : splitLines(logsOnExit),
    // at least 10 ms: a ticker is a test knob, not a way to flood the disk
    logEveryMs: number('log-every-ms', undefined) === undefined ? undefined : Math.max(10, number('log-every-ms', 0)),
    terminationMessage: get('termination-message'),
  };
}

/** `pass` (default), `fail`, or `fail-after-ms=N` */
export function readProbeBehaviour(raw: string | undefined, warn: (message: string) => void): ProbeBehaviour {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'pass') return { kind: 'pass' };
  if (value === 'fail') return { kind: 'fail' };
  const match = /^fail-after-ms=(\d+)$/.exec(value);
  if (match) return { kind: 'fail-after', afterMs: Number(match[1]) };
  warn(`${SIM_ANNOTATION_PREFIX}probe=${JSON.stringify(raw)}: want pass, fail or fail-after-ms=N; using pass`);
  return { kind: 'pass' };
}

/** '\n'-separated lines; a trailing newline does not add an empty line */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
