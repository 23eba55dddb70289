/** The store's public face: open a backend, get an MvccStore (see types.ts). */
import { mkdir } from 'node:fs/promises';
import { InvalidRequestError } from './errors.js';
import { openLevelKv } from './level-kv.js';
import { openMemoryKv } from './memory-kv.js';
import { MvccStore } from './mvcc-store.js';
import type { StoreHooks, StoreOptions } from './options.js';
import { RevisionLog } from './revision-log.js';
import type { MvccStore as MvccStoreApi } from './types.js';

export async function openStore(options: StoreOptions & StoreHooks = {}): Promise<MvccStoreApi> {
  const backend = options.backend ?? 'level';
  let kv;
  if (backend === 'memory') {
    kv = openMemoryKv();
  } else if (backend === 'level') {
    if (!options.path) throw new InvalidRequestError("the 'level' store needs a path");
    await mkdir(options.path, { recursive: true });
    kv = await openLevelKv(options.path);
  } else {
    throw new InvalidRequestError(`unknown store backend ${JSON.stringify(backend)} (want level or memory)`);
  }
  return MvccStore.open(new RevisionLog(kv), options);
}

export * from './types.js';
export * from './errors.js';
export { ManualClock, systemClock, type Clock } from './clock.js';
export type { StoreOptions, StoreHooks } from './options.js';
