/**
 * What strategic merge patch needs from the OpenAPI schemas: the schema of a field, of a list's
 * items, and a field's patch strategy and merge key (x-kubernetes-patch-strategy /
 * x-kubernetes-patch-merge-key, published from list-facts.ts).
 *
 * `undefined` means "no schema": inside x-kubernetes-preserve-unknown-fields, a field the
 * schema does not know, or a kind without one. There maps still merge key by key and every
 * list is replaced whole.
 */
import { idOfRef, type SchemaLookup, type SchemaObject } from '../schema/schema-registry.js';

export type Schema = SchemaObject | undefined;

export interface PatchMeta {
  /** 'merge' merges lists (by mergeKey for lists of maps); 'replace' replaces maps whole */
  strategy: '' | 'merge' | 'replace';
  mergeKey: string;
}

export class PatchSchema {
  constructor(private readonly schemas: SchemaLookup) {}

  /** $ref and single-entry allOf wrappers followed; preserve-unknown-fields ends typing */
  resolve(schema: Schema): Schema {
    let s = schema;
    for (let depth = 0; s && depth < 16; depth++) {
      if (s['x-kubernetes-preserve-unknown-fields']) return undefined;
      if (s.$ref) s = this.schemas.get(idOfRef(s.$ref));
      else if (s.allOf?.length === 1 && !s.properties && !s.type) s = s.allOf[0];
      else return s;
    }
    return s;
  }

  root(id: string | undefined): Schema {
    return id === undefined ? undefined : this.resolve(this.schemas.get(id));
  }

  /** the unresolved property schema (it carries the patch extensions) of `key` in a map */
  field(map: Schema, key: string): Schema {
    const s = this.resolve(map);
    if (!s) return undefined;
    if (s.properties) return Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
    return typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  }

  items(list: Schema): Schema {
    return this.resolve(list)?.items;
  }

  meta(property: Schema): PatchMeta {
    const ext = (s: Schema, name: 'x-kubernetes-patch-strategy' | 'x-kubernetes-patch-merge-key') => s?.[name] ?? this.resolve(s)?.[name];
    const strategies = String(ext(property, 'x-kubernetes-patch-strategy') ?? '').split(',');
    // retainKeys only matters through the $retainKeys directive; the other strategy decides merging
    const strategy = strategies.includes('merge') ? 'merge' : strategies.includes('replace') ? 'replace' : '';
    return { strategy, mergeKey: String(ext(property, 'x-kubernetes-patch-merge-key') ?? '') };
  }
}
