/**
 * Listen, turning the usual socket failures into one-line StartupErrors, and work out
 * the URL clients should use (a wildcard address is not something to connect to).
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { StartupError } from './errors.js';

const REASONS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied (ports below 1024 need root)',
  EADDRNOTAVAIL: 'address not available on this host',
};

const hostPort = (address: string, port: number) => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

/** Listens and returns the port actually bound (useful with port 0). */
export async function listenOrExplain(app: FastifyInstance, address: string, port: number): Promise<number> {
  try {
    await app.listen({
      host: address,
      port,
      listenTextResolver: (url) => `API server listening at ${url}`,
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const reason = REASONS[code];
    if (reason) throw new StartupError(`cannot listen on ${hostPort(address, port)}: ${reason}`, { cause: err });
    throw err;
  }
  return (app.server.address() as AddressInfo).port;
}

/** https://127.0.0.1:6443 — wildcard addresses become the loopback address of their family. */
export function serverUrl(address: string, port: number): string {
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  return `https://${hostPort(host, port)}`;
}
