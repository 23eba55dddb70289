/**
 * The k8ts package: `startCluster` runs a whole cluster in this process (what `k8ts up`
 * does), for tests and embedding. Store types are re-exported for test authors.
 */
export { startCluster } from './cli/start-cluster.js';
export type { Cluster, ClusterOptions, ResolvedClusterOptions } from './cli/start-cluster.js';
export { UsageError, StartupError } from './cli/errors.js';
export { DataDirInUseError } from './cli/data-dir-lock.js';
export type { LogLevel, RuntimeChoice, StoreBackend } from './cli/options.js';
export type { MvccStore, Store, KeyValue, WatchEvent } from './store/index.js';
export { issueClientCert } from './cli/pki/pki.js';
export type { ClientCredentials, Pki } from './cli/pki/pki.js';
