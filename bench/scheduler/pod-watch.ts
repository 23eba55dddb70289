/**
 * A pod watch that survives the server ending it. An API server may close a watch at any
 * time (a timeout, or a watcher too slow to keep up with 10,000 creates), and a bench
 * that silently stopped hearing binds would report a timeout instead of a result; so
 * when the stream ends this one reopens from the last resourceVersion it saw, as an
 * informer's reflector does, and counts how often it had to.
 */
import https from 'node:https';
import type { Credentials } from '../api/client.js';
import { jsonLines } from '../api/json-lines.js';

export interface PodWatch {
  /** times the stream ended and was reopened */
  readonly reopened: number;
  close(): void;
}

/** `path` without query; calls onLine(line, arrivedAt) per JSON event line */
export function watchPods(url: string, creds: Credentials, path: string, fromVersion: string, onLine: (line: string, at: number) => void, onFatal: (err: Error) => void): PodWatch {
  const base = new URL(url);
  let version = fromVersion;
  let closed = false;
  let reopened = 0;
  let current: ReturnType<typeof https.request> | undefined;

  const open = (): void => {
    const query = `?watch=true&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(version)}`;
    const req = https.request(
      { host: base.hostname, port: Number(base.port), method: 'GET', path: path + query, agent: false, ca: creds.ca, cert: creds.cert, key: creds.key, headers: { accept: 'application/json' } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          if (!closed) onFatal(new Error(`pod watch from resourceVersion ${version}: HTTP ${res.statusCode}`));
          return;
        }
        res.setEncoding('utf8');
        res.on(
          'data',
          jsonLines((line, at) => {
            if (closed) return;
            if (line.includes('"type":"ERROR"')) {
              onFatal(new Error(`pod watch: ${line.slice(0, 200)}`));
              closed = true;
              req.destroy();
              return;
            }
            const rv = /"resourceVersion":"([0-9]+)"/.exec(line)?.[1];
            if (rv !== undefined) version = rv;
            if (!line.includes('"type":"BOOKMARK"')) onLine(line, at);
          }),
        );
        res.on('error', () => undefined);
        res.on('close', () => {
          if (closed) return;
          reopened++;
          open();
        });
      },
    );
    req.on('error', (err) => {
      if (!closed) onFatal(err);
    });
    req.end();
    current = req;
  };
  open();

  return {
    get reopened() {
      return reopened;
    },
    close() {
      closed = true;
      current?.destroy();
    },
  };
}
