/**
 * The downward API's file contents, kube's fieldpath and resource helpers, as pure
 * functions: pod metadata fields (labels and annotations as sorted `key="value"` lines,
 * values quoted the way Go's %q does) and container resources divided by a divisor and
 * rounded up. A container without a limit reports the node's allocatable instead, as kube's
 * MergeContainerResourceLimits does, so `limits.memory` always means "what I may use".
 */
import type { V1Container, V1DownwardAPIVolumeFile, V1Pod } from '@kubernetes/client-node';
import { parseExactQuantity } from '../../client/quantity.js';
import type { Payload } from './atomic-writer.js';

/** Go's strconv.Quote for the characters label and annotation values can hold */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** kube's fieldpath.FormatMap: `k="v"` lines in key order, no trailing newline */
export const formatMap = (map: Record<string, string> | undefined): string =>
  Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${goQuote(map![k]!)}`)
    .join('\n');

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.*)'\]$/;

/** kube's ExtractFieldPathAsString for the paths a downwardAPI volume allows */
export function fieldPathValue(pod: V1Pod, fieldPath: string): string {
  const meta = pod.metadata ?? {};
  const sub = SUBSCRIPT.exec(fieldPath);
  if (sub) return (sub[1] === 'labels' ? meta.labels : meta.annotations)?.[sub[2]!] ?? '';
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

const NANO = 1_000_000_000n;
const ceilDiv = (a: bigint, b: bigint): bigint => (a % b === 0n ? a / b : a / b + (a > 0n ? 1n : 0n));

/**
 * kube's ExtractContainerResourceValue: cpu in whole divisors of milli-CPU, memory and
 * storage in whole divisors of bytes, rounded up. `allocatable` fills missing limits.
 */
export function containerResourceValue(container: V1Container, resource: string, divisor: string | undefined, allocatable: Record<string, string>): string {
  const limits = { ...allocatable, ...(container.resources?.limits ?? {}) } as Record<string, string>;
  const requests = (container.resources?.requests ?? {}) as Record<string, string>;
  const [scope, name = ''] = resource.split(/\.(.*)/s) as [string, string?];
  if ((scope !== 'limits' && scope !== 'requests') || !(name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-'))) {
    throw new Error(`unsupported container resource : ${resource}`);
  }
  if (scope === 'limits' && name.startsWith('hugepages-')) throw new Error(`unsupported container resource : ${resource}`);
  const value = parseExactQuantity((scope === 'limits' ? limits : requests)[name] ?? '0')?.nano ?? 0n;
  const parsedDivisor = parseExactQuantity(divisor ?? '1')?.nano ?? 0n;
  const divisorNano = parsedDivisor === 0n ? NANO : parsedDivisor;
  if (name === 'cpu') {
    // MilliValue() of each, rounded up
    const milli = (n: bigint) => ceilDiv(n, 1_000_000n);
    const d = milli(divisorNano);
    return ceilDiv(milli(value), d === 0n ? 1n : d).toString();
  }
  const whole = (n: bigint) => ceilDiv(n, NANO);
  const d = whole(divisorNano);
  return ceilDiv(whole(value), d === 0n ? 1n : d).toString();
}

const findContainer = (pod: V1Pod, name: string | undefined): V1Container | undefined =>
  [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);

/** kube's downwardAPI CollectData: one file per item */
export function downwardApiPayload(pod: V1Pod, items: V1DownwardAPIVolumeFile[], defaultMode: number, allocatable: Record<string, string>): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const item of items) {
    const mode = item.mode ?? defaultMode;
    try {
      if (item.fieldRef) {
        payload.set(item.path, { content: Buffer.from(fieldPathValue(pod, item.fieldRef.fieldPath)), mode });
      } else if (item.resourceFieldRef) {
        const ref = item.resourceFieldRef;
        const container = findContainer(pod, ref.containerName);
        if (!container) throw new Error(`container ${ref.containerName ?? ''} not found`);
        payload.set(item.path, { content: Buffer.from(containerResourceValue(container, ref.resource, ref.divisor as string | undefined, allocatable)), mode });
      }
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (errors.length === 1) throw new Error(errors[0]);
  if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
  return payload;
}

/** whether any item needs the node's allocatable (a resourceFieldRef) */
export const needsAllocatable = (items: V1DownwardAPIVolumeFile[] | undefined): boolean => (items ?? []).some((i) => i.resourceFieldRef !== undefined);
