/**
 * kube's EndpointSliceTracker: the generation of every slice this controller last wrote,
 * per Service, so that
 *   - a slice event that only echoes our own write does not resync the Service
 *     (shouldSync), while a change or delete by someone else does;
 *   - a sync never plans from a cache older than our last writes (staleSlices): a slice
 *     we wrote at generation 3 still cached at 2, one we created and do not see yet, or one
 *     we deleted that is still there, means "wait for the informer and retry" — otherwise
 *     we would create duplicates.
 */
import type { V1EndpointSlice } from '@kubernetes/client-node';
import { SERVICE_NAME_LABEL } from './slice-metadata.js';

const DELETION_EXPECTED = -1;

const serviceKeyOf = (slice: V1EndpointSlice): string | undefined => {
  const name = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
  return name ? `${slice.metadata?.namespace}/${name}` : undefined;
};

export class EndpointSliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();

  private generations(slice: V1EndpointSlice, create = false): Map<string, number> | undefined {
    const key = serviceKeyOf(slice);
    if (!key) return undefined;
    let gens = this.byService.get(key);
    if (!gens && create) this.byService.set(key, (gens = new Map()));
    return gens;
  }

  has(slice: V1EndpointSlice): boolean {
    return this.generations(slice)?.has(slice.metadata?.uid ?? '') ?? false;
  }

  /** true unless the slice is at (or behind) the generation we wrote */
  shouldSync(slice: V1EndpointSlice): boolean {
    const g = this.generations(slice)?.get(slice.metadata?.uid ?? '');
    return g === undefined || (slice.metadata?.generation ?? 0) > g;
  }

  /** the cached slices of a Service are older than what we wrote */
  staleSlices(serviceKey: string, slices: V1EndpointSlice[]): boolean {
    const gens = this.byService.get(serviceKey);
    if (!gens) return false;
    const seen = new Set<string>();
    for (const slice of slices) {
      const uid = slice.metadata?.uid ?? '';
      seen.add(uid);
      const g = gens.get(uid);
      if (g !== undefined && (g === DELETION_EXPECTED || g > (slice.metadata?.generation ?? 0))) return true;
    }
    for (const [uid, g] of gens) if (g !== DELETION_EXPECTED && !seen.has(uid)) return true;
    return false;
  }

  /** we wrote this slice (the API server's answer) */
  update(slice: V1EndpointSlice): void {
    this.generations(slice, true)?.set(slice.metadata?.uid ?? '', slice.metadata?.generation ?? 0);
  }

  expectDeletion(slice: V1EndpointSlice): void {
    this.generations(slice, true)?.set(slice.metadata?.uid ?? '', DELETION_EXPECTED);
  }

  /** forget a deleted slice; false when the deletion was not ours (the Service must resync) */
  handleDeletion(slice: V1EndpointSlice): boolean {
    const gens = this.generations(slice);
    if (!gens) return true;
    const uid = slice.metadata?.uid ?? '';
    const g = gens.get(uid);
    gens.delete(uid);
    return g === undefined || g === DELETION_EXPECTED;
  }

  deleteService(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }
}
