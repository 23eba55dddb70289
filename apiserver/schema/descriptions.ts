/**
 * Descriptions and required fields for `kubectl explain`, read from the JSDoc comments of
 * the @kubernetes/client-node model .d.ts files (the only place the package keeps them):
 *
 *   /**
 *   * Pod is a collection of containers …          ← the class description
 *   *\/
 *   export declare class V1Pod {
 *       /**
 *       * APIVersion defines the versioned schema …  ← the field's description
 *       *\/
 *       'apiVersion'?: string;                        ← `?`: optional; no `?`: required
 *
 * Read lazily, one file per model the first time it is needed, and cached.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageGenDir } from './model-source.js';

export interface ModelDocs {
  description?: string;
  /** by the class property name (the attribute map's `name`) */
  fields: Map<string, { description?: string; required: boolean }>;
}

const cache = new Map<string, ModelDocs>();

export function modelDocs(modelName: string): ModelDocs {
  let docs = cache.get(modelName);
  if (!docs) {
    docs = parseModelDts(readDts(modelName));
    cache.set(modelName, docs);
  }
  return docs;
}

function readDts(modelName: string): string {
  try {
    return readFileSync(join(packageGenDir(), 'models', `${modelName}.d.ts`), 'utf8');
  } catch {
    return '';
  }
}

const PROPERTY = /^\s*'([^']+)'(\?)?:/;
const CLASS = /^export declare class /;

export function parseModelDts(text: string): ModelDocs {
  const docs: ModelDocs = { fields: new Map() };
  let comment: string[] | undefined;
  let pending: string | undefined;
  let inClass = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (comment) {
      if (trimmed.endsWith('*/')) {
        comment.push(trimmed.slice(0, -2));
        pending = cleanComment(comment);
        comment = undefined;
      } else {
        comment.push(trimmed);
      }
      continue;
    }
    if (trimmed.startsWith('/**')) {
      const rest = trimmed.slice(3);
      if (rest.endsWith('*/')) pending = cleanComment([rest.slice(0, -2)]);
      else comment = [rest];
      continue;
    }
    if (CLASS.test(trimmed)) {
      inClass = true;
      if (pending) docs.description = pending;
      pending = undefined;
      continue;
    }
    const prop = inClass ? PROPERTY.exec(line) : null;
    if (prop) {
      docs.fields.set(prop[1]!, { ...(pending ? { description: pending } : {}), required: prop[2] !== '?' });
    }
    if (trimmed) pending = undefined;
  }
  return docs;
}

function cleanComment(lines: string[]): string | undefined {
  const text = lines
    .map((l) => l.replace(/^\*\s?/, ''))
    .join('\n')
    .trim()
    // the generator escapes quotes inside comments: shouldn\'t, \"ci-cd\"
    .replace(/\\(['"\\])/g, '$1');
  return text || undefined;
}
