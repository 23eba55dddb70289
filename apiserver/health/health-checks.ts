/**
 * /healthz, /livez and /readyz as kube-apiserver serves them (k8s.io/apiserver's healthz
 * package):
 *
 *   GET /readyz            200 "ok" when every check passes
 *   GET /readyz?verbose    200 "[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]shutdown ok\nreadyz check passed\n"
 *   any check failing      500 "[+]ping ok\n…[-]etcd failed: reason withheld\n…readyz check failed\n"
 *                          (verbose or not; the reason only goes to the log: these
 *                          paths are public)
 *   ?exclude=etcd          skips a check: "[+]etcd excluded: ok"; names that match no check
 *                          add "warn: some health checks cannot be excluded: no matches for \"x\""
 *   GET /readyz/etcd       one check: 200 "ok", or 500 "internal server error: <reason>\n"
 *                          (these need credentials, so the reason is shown)
 *
 * Checks: ping (always ok), log (always ok: kube's checks that klog still flushes; pino
 * writes as it goes), etcd (the store answers a range, within 2 s, like kube's
 * --etcd-healthcheck-timeout) on all three; shutdown (fails once shutdown began) on
 * /readyz only, so a terminating server stays live but stops being ready.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../store/index.js';

export interface HealthCheck {
  name: string;
  /** resolves when healthy; rejects (or throws) with the reason when not */
  check(): Promise<void> | void;
}

export const pingCheck: HealthCheck = { name: 'ping', check: () => {} };
export const logCheck: HealthCheck = { name: 'log', check: () => {} };

export const STORE_CHECK_TIMEOUT_MS = 2000;

/** kube's etcd check: the store answers a read. */
export function storeCheck(store: Pick<Store, 'range'>, timeoutMs = STORE_CHECK_TIMEOUT_MS): HealthCheck {
  return {
    name: 'etcd',
    async check() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`the store did not answer within ${timeoutMs}ms`)), timeoutMs);
      });
      try {
        await Promise.race([store.range('/registry/health', undefined, { countOnly: true }), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export function shutdownCheck(isShuttingDown: () => boolean): HealthCheck {
  return {
    name: 'shutdown',
    check() {
      if (isShuttingDown()) throw new Error('process is shutting down');
    },
  };
}

export interface HealthOptions {
  store: Pick<Store, 'range'>;
  isShuttingDown: () => boolean;
}

/** The checks of each endpoint, in the order they are reported. */
export function defaultHealthChecks(opts: HealthOptions): Record<'healthz' | 'livez' | 'readyz', HealthCheck[]> {
  const common = [pingCheck, logCheck, storeCheck(opts.store)];
  return { healthz: common, livez: common, readyz: [...common, shutdownCheck(opts.isShuttingDown)] };
}

async function run(check: HealthCheck): Promise<Error | undefined> {
  try {
    await check.check();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

const quoted = (names: Iterable<string>) => [...names].map((n) => JSON.stringify(n)).join(',');

const plain = (reply: FastifyReply) => reply.type('text/plain; charset=utf-8').header('X-Content-Type-Options', 'nosniff');

function queryOf(request: FastifyRequest): URLSearchParams {
  const url = request.raw.url ?? request.url;
  const at = url.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
}

/** Serve GET /<name> and GET /<name>/<check> for each check. */
export function installHealthEndpoint(app: FastifyInstance, name: string, checks: readonly HealthCheck[]): void {
  app.get(`/${name}`, async (request, reply) => {
    const query = queryOf(request);
    const excluded = new Set(query.getAll('exclude'));
    let out = '';
    const failed: string[] = [];
    const reasons: string[] = [];
    for (const check of checks) {
      if (excluded.delete(check.name)) {
        out += `[+]${check.name} excluded: ok\n`;
        continue;
      }
      const err = await run(check);
      if (err) {
        out += `[-]${check.name} failed: reason withheld\n`;
        failed.push(check.name);
        reasons.push(`[-]${check.name} failed: ${err.message}`);
      } else {
        out += `[+]${check.name} ok\n`;
      }
    }
    if (excluded.size > 0) {
      out += `warn: some health checks cannot be excluded: no matches for ${quoted([...excluded].sort())}\n`;
    }
    if (failed.length > 0) {
      request.log.info({ failed, reasons }, `${name} check failed`);
      return plain(reply).code(500).send(`${out}${name} check failed\n`);
    }
    if (!query.has('verbose')) return plain(reply).send('ok');
    return plain(reply).send(`${out}${name} check passed\n`);
  });
  for (const check of checks) {
    app.get(`/${name}/${check.name}`, async (_request, reply) => {
      const err = await run(check);
      if (err) return plain(reply).code(500).send(`internal server error: ${err.message}\n`);
      return plain(reply).send('ok');
    });
  }
}

/** /healthz, /livez and /readyz with kube's checks. */
export function installHealthRoutes(app: FastifyInstance, opts: HealthOptions): void {
  const checks = defaultHealthChecks(opts);
  for (const name of ['healthz', 'livez', 'readyz'] as const) installHealthEndpoint(app, name, checks[name]);
}
