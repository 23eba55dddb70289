/**
 * sorted-btree is CommonJS with `exports.default`; under NodeNext ESM its class is the
 * `default` property of the imported module. One place to unwrap it.
 */
import btreeModule from 'sorted-btree';

export const BTree = btreeModule.default;
export type BTree<K, V> = InstanceType<typeof btreeModule.default<K, V>>;
