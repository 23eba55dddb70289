/**
 * coordination.k8s.io/v1 Lease as it travels over the wire (plain JSON: times are strings,
 * not the Date objects @kubernetes/client-node's V1Lease declares), plus the one rule
 * every Lease user shares: when does a holder's claim run out.
 */
import type { KubeObject } from '../types.js';
import { parseKubeTime } from './kube-time.js';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** MicroTime */
  acquireTime?: string;
  /** MicroTime */
  renewTime?: string;
  leaseTransitions?: number;
}

export interface LeaseObject extends KubeObject {
  spec?: LeaseSpec;
}

export const LEASE_API_VERSION = 'coordination.k8s.io/v1';
export const LEASE_KIND = 'Lease';

/**
 * A lease is held while renewTime + leaseDurationSeconds lies in the future. A lease with
 * no holder, no renewTime or no duration is free.
 */
export function leaseExpired(spec: LeaseSpec | undefined, now: number): boolean {
  if (!spec?.holderIdentity) return true;
  const renewed = parseKubeTime(spec.renewTime) ?? parseKubeTime(spec.acquireTime);
  if (renewed === undefined || !spec.leaseDurationSeconds) return true;
  return renewed + spec.leaseDurationSeconds * 1000 < now;
}
