/**
 * A small HTTPS client for the API bench: node:https over a keep-alive Agent with the
 * admin client certificate, whole-body responses, and a watch stream split into JSON lines.
 */
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { jsonLines } from './json-lines.js';

export interface Credentials {
  ca: string;
  cert: string;
  key: string;
}

export interface Response {
  status: number;
  body: Buffer;
  /** performance.now() when the last byte of the body arrived */
  endAt: number;
}

export class ApiClient {
  readonly agent: https.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(
    url: string,
    private readonly creds: Credentials,
    maxSockets = 64,
  ) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new https.Agent({ keepAlive: true, maxSockets, ca: creds.ca, cert: creds.cert, key: creds.key });
  }

  /** One request; resolves with the status and the whole body (never rejects on HTTP errors). */
  request(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
    return new Promise((resolve, reject) => {
      const h: Record<string, string | number> = { accept: 'application/json', ...headers };
      if (body !== undefined) {
        h['content-type'] = 'application/json';
        h['content-length'] = Buffer.byteLength(body);
      }
      const req = https.request({ host: this.host, port: this.port, method, path, agent: this.agent, headers: h }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), endAt: performance.now() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Opens a watch (chunked JSON lines) on its own connection; calls onLine(line, arrivedAt)
   * for each complete line, arrivedAt being when the chunk that completed it arrived.
   */
  watch(path: string, onLine: (line: string, arrivedAt: number) => void): Promise<WatchHandle> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        { host: this.host, port: this.port, method: 'GET', path, agent: false, ca: this.creds.ca, cert: this.creds.cert, key: this.creds.key, headers: { accept: 'application/json' } },
        (res: IncomingMessage) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
            return;
          }
          res.setEncoding('utf8');
          res.on('data', jsonLines(onLine));
          res.on('error', () => undefined);
          resolve({ close: () => req.destroy() });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface WatchHandle {
  close(): void;
}
