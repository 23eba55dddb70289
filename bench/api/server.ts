/** The server under test: `k8ts up` in a child process (default) or startCluster() here. */
import { readFile } from 'node:fs/promises';
import { startCluster } from '../../index.js';
import type { Credentials } from './client.js';
import { startServerProcess } from './server-process.js';

export interface Server {
  url: string;
  credentials: Credentials;
  /** the server's pid (this process's when in-process) */
  pid: number;
  /** the server process's peak RSS in MB (VmHWM), or undefined when it is this process */
  peakRssMb(): Promise<number | undefined>;
  stop(): Promise<void>;
}

async function vmHwmMb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}

export async function startServer(dataDir: string, backend: 'level' | 'memory', inProcess: boolean): Promise<Server> {
  if (inProcess) {
    const cluster = await startCluster({ dataDir, port: 0, store: backend, nodes: 0, logLevel: 'silent' });
    const admin = cluster.credentials('admin');
    return { url: cluster.url, credentials: { ca: cluster.ca, cert: admin.cert, key: admin.key }, pid: process.pid, peakRssMb: async () => undefined, stop: () => cluster.stop() };
  }
  const child = await startServerProcess(dataDir, backend);
  return { ...child, peakRssMb: () => vmHwmMb(child.pid) };
}
