import type { Clock } from './clock.js';

export interface StoreOptions {
  /** 'level' (durable, default) or 'memory' */
  backend?: 'level' | 'memory';
  /** directory of the LevelDB database (backend 'level' only) */
  path?: string;
  clock?: Clock;
  /** events of recent history kept in memory (default 50,000) */
  historyEvents?: number;
  /** bytes of values in the in-memory history (default 64 MiB) */
  historyBytes?: number;
  /** events a watcher may have unread before it is cancelled as too slow (default 10,000) */
  watchBacklogEvents?: number;
  /** automatic compaction: keep at least this much history (default 5 minutes; 0 = never) */
  compactionWindowMs?: number;
  /** how often expired leases are looked for (default 1 s; 0 = only when expireLeases() is called) */
  leaseCheckIntervalMs?: number;
}

export const storeDefaults = {
  historyEvents: 50_000,
  historyBytes: 64 * 1024 * 1024,
  watchBacklogEvents: 10_000,
  compactionWindowMs: 5 * 60_000,
  leaseCheckIntervalMs: 1_000,
} as const;

export interface StoreHooks {
  /** failures of background work (automatic compaction, lease expiry); default: ignored */
  onBackgroundError?: (err: unknown) => void;
}
