/**
 * startCluster(): the one place that wires the components into a running cluster.
 * `k8ts up` is a thin wrapper over it, and tests embed it (several clusters per process
 * work: nothing here is process-global — no signal handlers, no fixed ports, no shared
 * state; each cluster has its own data dir, lock and id).
 *
 * Order of startup: validate -> lock the data dir -> read the token file -> load or make
 * the certificates and the service account signing key (DATA_DIR/pki) -> open the store
 * -> build and listen (HTTPS) -> write the kubeconfig (last: its existence means "ready
 * to serve").
 * stop() undoes it in reverse: refuse new work, close the server, close the store (so
 * it flushes), release the lock.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AuthenticationOptions } from '../apiserver/auth/authenticate.js';
import { createServiceAccountTokens, type ServiceAccountTokens } from '../apiserver/auth/service-account-token.js';
import { parseTokenFile, TokenFileError } from '../apiserver/auth/token-file.js';
import type { UserInfo } from '../apiserver/auth/user.js';
import { buildApiServer } from '../apiserver/build-api-server.js';
import { buildServerServices } from '../apiserver/catalogue/server-services.js';
import { builtinCatalogue } from '../apiserver/resources/index.js';
import { apiHandle } from '../apiserver/routes/register-api.js';
import { k8tsVersion } from '../apiserver/version.js';
import { openStore, type MvccStore } from '../store/index.js';
import { loadOrCreateClusterId } from './cluster-id.js';
import { formatIpv4 } from './cidr.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { StartupError } from './errors.js';
import { kubeconfigYaml, removeKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { listenOrExplain, serverUrl } from './listen.js';
import { createLogger } from './logger.js';
import { resolveClusterOptions, type ClusterOptions, type ResolvedClusterOptions } from './options.js';
import { ADMIN, loadOrCreatePki, nodeName, type ClientCredentials, type Pki } from './pki/pki.js';
import { loadOrCreateServiceAccountKey } from './pki/service-account-key.js';
import { resolveRuntime } from './runtime.js';
import { startClusterControllers } from './start-controllers.js';
import { startKubelets } from './start-kubelets.js';
import { loadConfigOrExplain, startClusterScheduler } from './start-scheduler.js';

export type { ClusterOptions, ResolvedClusterOptions };
export type { ClientCredentials, Pki };

export interface Cluster {
  /** the API server's URL, e.g. https://127.0.0.1:6443 */
  url: string;
  /** the cluster CA (PEM): trust it to talk to `url` */
  ca: string;
  /** the scheduler's HTTPS port (/debug/decisions/NS/NAME: why a pod landed where it did) */
  schedulerUrl?: string;
  /** DATA_DIR/pki: the CA (with its key, for issueClientCert), serving and client certificates */
  pki: Pki;
  /**
   * The client certificate of a built-in identity, by user name: "admin",
   * "system:kube-scheduler", "system:kube-controller-manager", "system:node:k8ts-node-N".
   * Throws for any other name (issue more with issueClientCert(cluster.pki, user, groups)).
   */
  credentials(user: string): ClientCredentials;
  /** DATA_DIR/kubeconfig, written once the cluster serves */
  kubeconfigPath: string;
  /** the kubeconfig's YAML text */
  kubeconfig: string;
  /** short random hex id, persisted in the data dir; names host-level resources later */
  clusterId: string;
  /** the absolute data dir */
  dataDir: string;
  /** the options after defaults and validation */
  options: ResolvedClusterOptions;
  /** stop serving, close the store, release the data dir; safe to call more than once */
  stop(): Promise<void>;
}

/** Run `steps` in order, all of them even if some fail; rethrow the first failure. */
async function runAll(steps: Array<() => Promise<unknown>>): Promise<void> {
  let first: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}

/** --token-auth-file: a file that cannot be read or parsed is a one-line StartupError. */
async function readTokenFile(path: string, log: Logger): Promise<Map<string, UserInfo> | undefined> {
  if (path === '') return undefined;
  try {
    const { tokens, warnings } = parseTokenFile(await readFile(path, 'utf8'));
    for (const warning of warnings) log.warn(`token auth file ${path}: ${warning}`);
    log.info(`authentication: ${tokens.size} bearer token(s) from ${path}`);
    return tokens;
  } catch (err) {
    const why = err instanceof TokenFileError ? err.message : ((err as NodeJS.ErrnoException).code ?? (err as Error).message);
    throw new StartupError(`cannot use token auth file ${path}: ${why}`, { cause: err });
  }
}

async function loadPki(o: ResolvedClusterOptions, log: Logger): Promise<Pki> {
  const started = performance.now();
  let pki: Pki;
  try {
    pki = await loadOrCreatePki(o.dataDir, {
      address: o.address,
      // the `kubernetes` service takes the first address of the service range
      serviceIP: formatIpv4(o.serviceCIDR.network + 1),
      nodes: Array.from({ length: o.nodes }, (_, i) => nodeName(i + 1)),
    });
  } catch (err) {
    throw new StartupError(`cannot set up certificates in ${join(o.dataDir, 'pki')}: ${(err as Error).message}`, { cause: err });
  }
  const ms = Math.round(performance.now() - started);
  if (pki.issued.length === 0) {
    log.info(`certificates: reused ${pki.dir} (${ms} ms)`);
  } else {
    const made = pki.issued.map(({ file, reason }) => (reason === 'missing' ? file : `${file} (${reason})`));
    log.info(`certificates: made ${made.join(', ')} in ${pki.dir} (${ms} ms)`);
  }
  return pki;
}

/** DATA_DIR/pki/sa.key: the key service account tokens are signed with, kept across restarts. */
async function loadServiceAccountTokens(pki: Pki, log: Logger): Promise<ServiceAccountTokens> {
  try {
    const key = await loadOrCreateServiceAccountKey(pki.dir);
    if (key.made !== undefined) log.info(`service account key: made ${join(pki.dir, 'sa.key')} (${key.made})`);
    return createServiceAccountTokens(key.privateKey);
  } catch (err) {
    throw new StartupError(`cannot set up the service account key in ${pki.dir}: ${(err as Error).message}`, { cause: err });
  }
}

async function openClusterStore(o: ResolvedClusterOptions, log: Logger, compactionWindowMs: number | undefined): Promise<MvccStore> {
  const path = o.store === 'level' ? join(o.dataDir, 'store') : undefined;
  try {
    const store = await openStore({
      backend: o.store,
      ...(path !== undefined && { path }),
      ...(compactionWindowMs !== undefined && { compactionWindowMs }),
      onBackgroundError: (err) => log.error({ err }, 'store background task failed'),
    });
    log.info(path ? `store: level at ${path} (revision ${store.revision})` : 'store: memory (nothing survives a restart)');
    return store;
  } catch (err) {
    throw new StartupError(`cannot open the ${o.store} store${path ? ` at ${path}` : ''}: ${(err as Error).message}`, { cause: err });
  }
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const o = resolveClusterOptions(options, 'api');
  const log = options.logger ?? createLogger(o.logLevel);

  try {
    await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StartupError(`cannot create data dir ${o.dataDir}: ${(err as Error).message}`, { cause: err });
  }
  const lock = await acquireDataDirLock(o.dataDir);
  // undo steps, newest first; stop() and a failed start both run them
  const undo: Array<() => Promise<unknown>> = [() => lock.release()];

  try {
    await removeKubeconfig(o.dataDir); // a stale one would claim we are ready
    const clusterId = await loadOrCreateClusterId(o.dataDir);
    log.info(`k8ts ${k8tsVersion()} starting cluster ${clusterId} in ${o.dataDir}`);

    const tokens = await readTokenFile(o.tokenAuthFile, log);
    const schedulerConfig = options.scheduler === false ? undefined : await loadConfigOrExplain(o.schedulerConfig, log);
    const pki = await loadPki(o, log);
    const serviceAccountTokens = await loadServiceAccountTokens(pki, log);
    const authentication: AuthenticationOptions = { ...(tokens ? { tokens } : {}), anonymous: o.anonymous, serviceAccountTokens };
    log.info(
      `authentication: client certificates from the cluster CA${tokens ? ', bearer tokens' : ''}, service account tokens; ` +
        (o.anonymous ? 'anonymous requests allowed (as system:anonymous)' : 'anonymous requests get 401 (except health and version)'),
    );

    const store = await openClusterStore(o, log, options.storeCompactionWindowMs);
    undo.unshift(() => store.close());

    const runtime = resolveRuntime(o.runtime);
    if (o.nodes > 0) log.info(`runtime: ${runtime.runtime} (${runtime.reason})`);
    if (runtime.warning && o.nodes > 0) log.warn(`runtime: ${runtime.warning}`);
    log.info(`pod CIDR ${o.podCIDR.text} (a /24 per node), service CIDR ${o.serviceCIDR.text}`);

    let shuttingDown = false;
    const app = buildApiServer({
      store,
      logger: log.child({ component: 'apiserver' }),
      isShuttingDown: () => shuttingDown,
      tls: { cert: pki.serving.cert, key: pki.serving.key, clientCA: pki.ca.cert },
      authentication,
      api: {
        catalogue: builtinCatalogue(),
        cluster: { serviceCIDR: o.serviceCIDR.text, podCIDR: o.podCIDR.text },
        services: buildServerServices(authentication, serviceAccountTokens, { cert: pki.kubeletClient.cert, key: pki.kubeletClient.key, ca: pki.ca.cert }),
      },
    });
    undo.unshift(() => app.close());
    undo.unshift(async () => {
      shuttingDown = true;
    });
    const port = await listenOrExplain(app, o.address, o.port);
    const url = serverUrl(o.address, port);
    await apiHandle(app)?.publishEndpoint({ address: o.address, port });

    // the components only need the API server, so they start side by side (a learner's
    // `k8ts up` is ready sooner); each one that started is undone if another fails
    const [kubelets, scheduler, controllers] = await Promise.allSettled([
      startKubelets({
        options: o,
        pki,
        url,
        clusterId,
        runtime,
        ...(options.kubelet && { settings: options.kubelet }),
        ...(options.runc && { runcSettings: options.runc }),
        ...(options.clock && { clock: options.clock }),
        log,
      }),
      schedulerConfig
        ? startClusterScheduler({
            config: schedulerConfig,
            pki,
            url,
            ...(options.scheduler ? { settings: options.scheduler } : {}),
            ...(options.clock && { clock: options.clock }),
            log,
          })
        : undefined,
      options.controllers !== false
        ? startClusterControllers({ pki, url, ...(options.controllers ? { settings: options.controllers } : {}), ...(options.clock && { clock: options.clock }), log })
        : undefined,
    ]);
    // kubelets stop last of the three and before the API server closes, so their last writes land
    if (kubelets.status === 'fulfilled') undo.unshift(() => kubelets.value.stop());
    if (scheduler.status === 'fulfilled' && scheduler.value) {
      const stopScheduler = scheduler.value.stop;
      undo.unshift(() => stopScheduler());
    }
    if (controllers.status === 'fulfilled' && controllers.value) {
      const stopControllers = controllers.value.stop;
      undo.unshift(() => stopControllers());
    }
    for (const r of [kubelets, scheduler, controllers]) if (r.status === 'rejected') throw r.reason;
    const schedulerUrl = scheduler.status === 'fulfilled' ? scheduler.value?.scheduler.url : undefined;

    const admin = pki.clients.get(ADMIN.user)!;
    const kubeconfig = kubeconfigYaml(url, { ca: pki.ca.cert, cert: admin.cert, key: admin.key });
    const kubeconfigPath = await writeKubeconfig(o.dataDir, kubeconfig);
    log.info(`k8ts is ready: export KUBECONFIG=${kubeconfigPath}`);

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        log.info(`stopping cluster ${clusterId}`);
        await runAll(undo);
        log.info(`cluster ${clusterId} stopped`);
      })());
    const credentials = (user: string): ClientCredentials => {
      const found = pki.clients.get(user);
      if (!found) throw new Error(`no built-in credentials for user ${JSON.stringify(user)} (known: ${[...pki.clients.keys()].join(', ')})`);
      return found;
    };
    return { url, ca: pki.ca.cert, pki, credentials, kubeconfigPath, kubeconfig, clusterId, dataDir: o.dataDir, options: o, stop, ...(schedulerUrl ? { schedulerUrl } : {}) };
  } catch (err) {
    await runAll(undo).catch((cleanupErr: unknown) => log.error({ err: cleanupErr }, 'cleanup after a failed start failed'));
    throw err;
  }
}
