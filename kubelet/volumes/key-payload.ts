/**
 * The payload of a configMap or secret volume (or projection), kube's MakePayload: every
 * key as a file named after it, or only the listed items at their paths; each file's mode
 * is the item's, else the volume's defaultMode (0644). A listed key the object lacks is
 * an error unless the source is optional. Pure: the object is fetched by the caller, and
 * a missing optional object arrives as undefined (an empty volume).
 */
import type { V1KeyToPath } from '@kubernetes/client-node';
import type { Payload } from './atomic-writer.js';

/** kube's ConfigMapVolumeSourceDefaultMode and SecretVolumeSourceDefaultMode */
export const DEFAULT_VOLUME_FILE_MODE = 0o644;

export interface KeySource {
  kind: 'configmap' | 'secret';
  items?: V1KeyToPath[];
  optional?: boolean;
}

/** the object's keys decoded: configMap data (text) and binaryData (base64), secret data (base64) */
export function decodeKeys(kind: 'configmap' | 'secret', object: { data?: Record<string, string>; binaryData?: Record<string, string> } | undefined): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!object) return out;
  if (kind === 'configmap') {
    for (const [k, v] of Object.entries(object.data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
    for (const [k, v] of Object.entries(object.binaryData ?? {})) out.set(k, Buffer.from(v, 'base64'));
  } else {
    for (const [k, v] of Object.entries(object.data ?? {})) out.set(k, Buffer.from(v, 'base64'));
  }
  return out;
}

export function keyPayload(source: KeySource, keys: Map<string, Buffer>, defaultMode: number): Payload {
  const payload: Payload = new Map();
  if (!source.items || source.items.length === 0) {
    for (const [key, content] of keys) payload.set(key, { content, mode: defaultMode });
    return payload;
  }
  for (const item of source.items) {
    const content = keys.get(item.key);
    if (!content) {
      if (source.optional) continue;
      throw new Error(source.kind === 'configmap' ? `configmap references non-existent config key: ${item.key}` : `references non-existent secret key: ${item.key}`);
    }
    payload.set(item.path, { content, mode: item.mode ?? defaultMode });
  }
  return payload;
}
