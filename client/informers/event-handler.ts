/**
 * What an informer tells its handlers (client-go's ResourceEventHandler).
 *
 * HANDLERS ONLY ENQUEUE: compute a key (objectKey) and add it to a work queue; do the
 * work in reconcile(key), which reads the current object from the lister. Handlers run
 * inline with the watch, so slow work here delays every other handler and the cache.
 * A handler that throws is logged and skipped, never fatal. The objects passed are the
 * cache's own: never change them (structuredClone first).
 */
import type { KubeObject } from '../types.js';

export interface ResourceEventHandler<T extends KubeObject = KubeObject> {
  onAdd?(obj: T): void;
  /** also called with old === new on each periodic resync */
  onUpdate?(oldObj: T, newObj: T): void;
  /** `obj` is the object's last state: from the DELETED event, or the last the cache knew when a relist found it gone */
  onDelete?(obj: T): void;
}

export interface HandlerRegistration {
  /** stop delivering to this handler */
  remove(): void;
}
