/** OrderedKv on LevelDB (classic-level): the durable backend. */
import { ClassicLevel } from 'classic-level';
import type { KvRange, KvWrite, OrderedKv } from './ordered-kv.js';

export async function openLevelKv(path: string): Promise<OrderedKv> {
  const db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
  await db.open();
  return {
    async write(batch: KvWrite[], sync: boolean): Promise<void> {
      // classic-level writes the whole batch as one LevelDB WriteBatch: atomic on crash.
      await db.batch(batch, { sync });
    },
    async get(key: string): Promise<Uint8Array | undefined> {
      return (await db.get(key)) ?? undefined;
    },
    async *iterate(range: KvRange): AsyncIterable<[string, Uint8Array]> {
      const it = db.iterator({ ...range, limit: range.limit ?? -1 });
      try {
        for (;;) {
          const chunk = await it.nextv(1000);
          if (chunk.length === 0) return;
          yield* chunk;
        }
      } finally {
        await it.close();
      }
    },
    close: () => db.close(),
  };
}
