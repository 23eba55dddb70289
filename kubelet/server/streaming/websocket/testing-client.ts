/**
 * Test support (no production use): a `ws` client whose received messages can be awaited
 * one by one, plus the close code, so tests can check exact bytes and message types.
 */
import { WebSocket } from 'ws';

export interface ReceivedMessage {
  binary: boolean;
  data: Buffer;
}

export class QueuedClient {
  readonly ws: WebSocket;
  private queue: ReceivedMessage[] = [];
  private waiters: Array<(m: ReceivedMessage | undefined) => void> = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(url: string, protocol: string | undefined) {
    this.ws = new WebSocket(url, protocol ? [protocol] : []);
    this.ws.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code: number) => resolve(code)));
    this.ws.on('message', (data: Buffer, binary: boolean) => {
      const m = { binary, data };
      const w = this.waiters.shift();
      if (w) w(m);
      else this.queue.push(m);
    });
    void this.closed.then(() => {
      for (const w of this.waiters.splice(0)) w(undefined);
    });
  }

  /** the next message, or undefined once the connection closed with nothing left */
  next(): Promise<ReceivedMessage | undefined> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
