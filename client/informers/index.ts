/** Informers, one concern per file: cache + indexes, reflector, shared informer, factory. */
export { objectKey, splitObjectKey } from './object-key.js';
export { Indexer, NAMESPACE_INDEX, type IndexFunc, type Indexers } from './indexer.js';
export { listerFor, type Lister } from './lister.js';
export { replaceDeltas, type Delta } from './replace-deltas.js';
export { Reflector, type ListWatch, type ReflectorBackoff, type ReflectorOptions, type ReflectorSelection, type ReflectorSink } from './reflector.js';
export type { HandlerRegistration, ResourceEventHandler } from './event-handler.js';
export { SharedInformer, type SharedInformerOptions } from './shared-informer.js';
export { SharedInformerFactory, type InformerSelectors, type SharedInformerFactoryOptions } from './informer-factory.js';
