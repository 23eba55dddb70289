/**
 * Test support: a real ResourceClient's list and watch, counted, with a switch that cuts
 * the open watch the way a network failure would (the iterator throws ECONNRESET), so
 * tests against a real API server can drive a reflector through resume and relist.
 */
import type { KubeObject, ResourceClient, WatchEvent, WatchOptions } from '../types.js';
import type { ListWatch } from './reflector.js';

export interface CuttableListWatch {
  source: ListWatch<KubeObject>;
  /** the options of every watch opened, in order */
  watchCalls: WatchOptions[];
  /** how many lists were made */
  lists(): number;
  /** every ERROR event's Status reason, in order */
  errorReasons: string[];
  /** drop the open watch; undefined until one has opened */
  cut: (() => void) | undefined;
}

export function cuttableListWatch(real: ResourceClient): CuttableListWatch {
  let lists = 0;
  const state: CuttableListWatch = {
    watchCalls: [],
    errorReasons: [],
    lists: () => lists,
    cut: undefined,
    source: {
      list: (opts) => {
        lists++;
        return real.list(opts);
      },
      watch: (opts = {}) => {
        state.watchCalls.push(opts);
        const inner = new AbortController();
        const onOuter = () => inner.abort();
        opts.signal?.addEventListener('abort', onOuter, { once: true });
        let dropped = false;
        state.cut = () => {
          dropped = true;
          inner.abort();
        };
        return {
          async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent<KubeObject>> {
            try {
              for await (const e of real.watch({ ...opts, signal: inner.signal })) {
                if (e.type === 'ERROR') state.errorReasons.push(String((e.object as { reason?: string }).reason));
                yield e;
              }
            } finally {
              opts.signal?.removeEventListener('abort', onOuter);
            }
            if (dropped) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
          },
        };
      },
    },
  };
  return state;
}
