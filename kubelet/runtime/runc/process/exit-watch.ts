/**
 * Reading what conmon leaves behind when a container ends:
 *
 *   <exitDir>/<id>        the exit code as decimal text (137 for SIGKILL and OOM kills)
 *   <persistDir>/oom      present when the memory cgroup OOM-killed the container
 *
 * `runc state` never reports exit codes (nobody but conmon can wait() for the container),
 * so these files are the only source. conmon writes the exit file once, after the
 * container's last process is reaped; waitForExit watches the directory (fs.watch) and
 * also polls, because inotify can miss events on some filesystems and a watch set up
 * after the write sees nothing.
 */
import { watch, type FSWatcher } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { realClock, type Clock } from '../../../../client/clock.js';

/** the exit code text conmon wrote; undefined when absent or not (yet) a number */
export function parseExitCode(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return undefined;
  return Number.parseInt(trimmed, 10);
}

export async function readExitCode(exitDir: string, id: string): Promise<number | undefined> {
  try {
    return parseExitCode(await readFile(join(exitDir, id), 'utf8'));
  } catch {
    return undefined;
  }
}

/** conmon's OOM marker (CRI: reason OOMKilled) */
export async function wasOomKilled(persistDir: string): Promise<boolean> {
  try {
    await access(join(persistDir, 'oom'));
    return true;
  } catch {
    return false;
  }
}

export interface WaitForExitOptions {
  /** fallback poll interval; default 100 ms */
  pollMs?: number;
  /** give up after this long and resolve undefined; default 0 = wait forever */
  timeoutMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
}

/** resolves with the exit code once conmon wrote it, or undefined on timeout/abort */
export function waitForExit(exitDir: string, id: string, opts: WaitForExitOptions = {}): Promise<number | undefined> {
  const clock = opts.clock ?? realClock;
  const pollMs = opts.pollMs ?? 100;
  return new Promise((resolve) => {
    let done = false;
    let watcher: FSWatcher | undefined;
    let cancelPoll: (() => void) | undefined;
    let cancelTimeout: (() => void) | undefined;
    const finish = (code: number | undefined) => {
      if (done) return;
      done = true;
      watcher?.close();
      cancelPoll?.();
      cancelTimeout?.();
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(code);
    };
    const onAbort = () => finish(undefined);
    let checking = false;
    const check = async () => {
      if (done || checking) return;
      checking = true;
      const code = await readExitCode(exitDir, id);
      checking = false;
      if (code !== undefined) finish(code);
    };
    const poll = () => {
      cancelPoll = clock.setTimer(pollMs, () => {
        void check().then(() => !done && poll());
      });
    };
    if (opts.signal?.aborted) return finish(undefined);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      watcher = watch(exitDir, (_event, name) => {
        if (name === null || name.toString() === id) void check();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      watcher = undefined; // no dir yet, or no inotify: polling covers it
    }
    if (opts.timeoutMs && opts.timeoutMs > 0) cancelTimeout = clock.setTimer(opts.timeoutMs, () => finish(undefined));
    poll();
    void check(); // it may already be there
  });
}
