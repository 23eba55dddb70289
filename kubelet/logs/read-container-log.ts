/**
 * readContainerLog: what the kubelet's /containerLogs endpoint (and so `kubectl logs`)
 * streams for one container instance, from its CRI log file and the rotated parts
 * beside it.
 *
 * Semantics follow kube's kuberuntime log reader, with two deliberate differences: P
 * records are joined into whole lines (kube prints each part with its own timestamp), and
 * rotated parts are read before the live file so --tail spans a rotation (kube reads only
 * the live file).
 *   tailLines     only the last N lines of everything on disk (before `since` filters,
 *                 as kube: `--tail=5 --since=1m` is "of the last 5, those from the last minute")
 *   sinceMs       drop lines written before this instant
 *   timestamps    prefix each line with its RFC3339Nano time and a space
 *   limitBytes    stop after this many bytes of output (mid-line if need be)
 *   follow        then keep streaming what is appended: the live file is polled every
 *                 pollIntervalMs; once the path names a new file (rotation: renamed away,
 *                 then reopened by the runtime) the rest of the old file is read, then the
 *                 new one from its start; the stream ends once
 *                 isRunning() says the container is gone and a settle period passed with
 *                 nothing new (its last writes may land just after the exit is reported),
 *                 or when the signal aborts (the client went away).
 */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { realClock, type Clock } from '../../client/clock.js';
import { LineAssembler, RecordSplitter, type LogLine } from './log-lines.js';
import { parseRfc3339 } from './log-time.js';
import { listRotatedParts } from './rotated-parts.js';

export interface ContainerLogOptions {
  tailLines?: number;
  /** epoch ms; lines before it are skipped */
  sinceMs?: number;
  timestamps?: boolean;
  limitBytes?: number;
  follow?: boolean;
}

export interface FollowControl {
  /** asked when no new bytes arrived: false ends a follow */
  isRunning(): Promise<boolean>;
  /** default 100 ms (kube is woken by inotify; a short poll is close enough) */
  pollIntervalMs?: number;
  /** once the container is gone, read until this long passes with nothing new (default: pollIntervalMs; 0 = one last read) */
  exitSettleMs?: number;
  clock?: Clock;
  /** abort to stop reading (the client disconnected) */
  signal?: AbortSignal;
}

const CHUNK = 64 * 1024;

/** Resolves when the log has been written (or the reading was stopped); rejects on I/O errors. */
export async function readContainerLog(logPath: string, options: ContainerLogOptions, output: Writable, control?: FollowControl): Promise<void> {
  const sink = new LineSink(options, output);
  const signal = control?.signal;
  const assembler = new LineAssembler();
  const tail = options.tailLines !== undefined ? new TailBuffer(options.tailLines) : undefined;
  const collect = (lines: LogLine[]) => {
    for (const line of lines) if (tail) tail.push(line); else sink.take(line);
  };

  // 1. everything on disk now: rotated parts, oldest first, then the live file
  /** false once reading should stop */
  const readPart = async (part: string): Promise<boolean> => {
    const splitter = new RecordSplitter();
    const data = await readFile(part).catch(ignoreMissing);
    if (!data) return true;
    for (const record of [...splitter.push(data), ...splitter.flush()]) collect(assembler.push(record));
    if (tail === undefined) await sink.drain();
    return !(sink.done || signal?.aborted);
  };
  const listed = await listRotatedParts(logPath);
  for (const part of listed) if (!(await readPart(part))) return;
  let live = await openLive(logPath);
  // a rotation between the listing and the open moved the then-live file into a part not
  // read yet (unless that part is the very file just opened, renamed after the open)
  for (const part of await listRotatedParts(logPath)) {
    if (listed.includes(part)) continue;
    if (live && (await stat(part).catch(ignoreMissing))?.ino === live.ino) continue;
    if (!(await readPart(part))) {
      await live?.handle.close().catch(() => undefined);
      return;
    }
  }
  let splitter = new RecordSplitter();
  try {
    while (live) {
      const chunk = await readMore(live);
      if (!chunk) break;
      for (const record of splitter.push(chunk)) collect(assembler.push(record));
      if (tail === undefined) await sink.drain();
      if (sink.done || signal?.aborted) return;
    }
    if (!options.follow) {
      for (const record of splitter.flush()) collect(assembler.push(record));
      collect(assembler.flush());
    }
    if (tail) for (const line of tail.lines()) sink.take(line);
    await sink.drain();
    if (!options.follow || !control || sink.done) return;

    // 2. follow: poll the live file for appended records until the container stops
    const clock = control.clock ?? realClock;
    const interval = control.pollIntervalMs ?? 100;
    const readNew = async (): Promise<boolean> => {
      let got = false;
      for (let chunk = live && (await readMore(live)); chunk; chunk = live && (await readMore(live))) {
        got = true;
        for (const record of splitter.push(chunk)) sink.takeAll(assembler.push(record));
        await sink.drain();
        if (sink.done) return true;
      }
      return got;
    };
    while (!sink.done && !signal?.aborted) {
      if (await readNew()) continue;
      if (live && (await replacedOnDisk(logPath, live))) {
        // rotated and reopened: the runtime now writes to the new file; take what it wrote
        // to the old one before switching, then go on in the new one from its start
        await readNew();
        if (sink.done) return;
        await live.handle.close();
        live = await openLive(logPath);
        splitter = new RecordSplitter();
        continue;
      }
      if (!live) {
        live = await openLive(logPath);
        if (live) continue;
      }
      if (!(await control.isRunning())) {
        // what the container wrote just before it stopped. A runtime may report the exit
        // while its last writes are still landing (containerd waits for the container's
        // I/O before reporting; the simulated runtime's writes are queued), so keep
        // reading until one settle period passes with nothing new
        await readNew();
        const settleMs = control.exitSettleMs ?? interval;
        for (let quiet = settleMs <= 0; !quiet && !sink.done && !signal?.aborted; ) {
          try {
            await clock.sleep(settleMs, signal);
          } catch {
            return; // aborted
          }
          quiet = !(await readNew());
          if (quiet && live && (await replacedOnDisk(logPath, live))) {
            // rotated just as it stopped: the last lines are in the new file
            await live.handle.close();
            live = await openLive(logPath);
            splitter = new RecordSplitter();
            quiet = false;
          }
        }
        if (!sink.done) {
          for (const record of splitter.flush()) sink.takeAll(assembler.push(record));
          sink.takeAll(assembler.flush());
          await sink.drain();
        }
        return;
      }
      try {
        await clock.sleep(interval, signal);
      } catch {
        return; // aborted
      }
    }
  } finally {
    await live?.handle.close().catch(() => undefined);
  }
}

interface LiveFile {
  handle: FileHandle;
  ino: number;
  position: number;
}

async function openLive(path: string): Promise<LiveFile | undefined> {
  try {
    const handle = await open(path, 'r');
    const { ino } = await handle.stat();
    return { handle, ino, position: 0 };
  } catch (err) {
    return ignoreMissing(err);
  }
}

async function readMore(live: LiveFile): Promise<Buffer | undefined> {
  const buffer = Buffer.alloc(CHUNK);
  const { bytesRead } = await live.handle.read(buffer, 0, CHUNK, live.position);
  if (bytesRead === 0) return undefined;
  live.position += bytesRead;
  return buffer.subarray(0, bytesRead);
}

/**
 * The path names another file now (renamed away and recreated). While it names nothing
 * (renamed, the runtime not reopened yet) the runtime still writes to the old file, so
 * that one stays current.
 */
async function replacedOnDisk(path: string, live: LiveFile): Promise<boolean> {
  try {
    return (await stat(path)).ino !== live.ino;
  } catch (err) {
    return ignoreMissing(err) ?? false;
  }
}

function ignoreMissing(err: unknown): undefined {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw err;
}

/** the last `n` lines seen */
class TailBuffer {
  private ring: LogLine[] = [];
  constructor(private readonly n: number) {}
  push(line: LogLine): void {
    if (this.n <= 0) return;
    this.ring.push(line);
    if (this.ring.length > this.n * 2) this.ring = this.ring.slice(-this.n); // amortised trim
  }
  lines(): LogLine[] {
    return this.n <= 0 ? [] : this.ring.slice(-this.n);
  }
}

/** since filter → formatting → byte limit → the output, with backpressure */
class LineSink {
  private readonly sinceMs: number | undefined;
  private left: number;
  private queued: Buffer[] = [];
  done = false;

  constructor(private readonly options: ContainerLogOptions, private readonly output: Writable) {
    this.sinceMs = options.sinceMs;
    this.left = options.limitBytes ?? Infinity;
  }

  take(line: LogLine): void {
    if (this.done) return;
    if (this.sinceMs !== undefined && !(parseRfc3339(line.time) >= this.sinceMs)) return;
    let bytes = Buffer.from(`${this.options.timestamps ? `${line.time} ` : ''}${line.text}${line.complete ? '\n' : ''}`);
    if (bytes.length >= this.left) {
      // cut at the byte limit (as kube does, even inside a character), and stop
      bytes = bytes.subarray(0, this.left);
      this.left = 0;
      this.done = true;
    } else {
      this.left -= bytes.length;
    }
    this.queued.push(bytes);
  }

  takeAll(lines: LogLine[]): void {
    for (const line of lines) this.take(line);
  }

  /** write what is queued; wait while the output is full */
  async drain(): Promise<void> {
    if (this.queued.length === 0) return;
    const data = Buffer.concat(this.queued);
    this.queued = [];
    if (this.output.destroyed || this.output.writableEnded) {
      this.done = true;
      return;
    }
    if (!this.output.write(data)) await waitForDrain(this.output);
    if (this.output.destroyed) this.done = true;
  }
}

function waitForDrain(output: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      output.off('drain', done);
      output.off('close', done);
      output.off('error', done);
      resolve();
    };
    output.on('drain', done);
    output.on('close', done);
    output.on('error', done);
  });
}
