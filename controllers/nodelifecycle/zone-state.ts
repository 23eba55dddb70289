/**
 * Zones and their health (kube's nodetopology.GetZoneKey and ComputeZoneState). The
 * controller gives NoExecute taints at a limited rate per zone, and stops when a whole
 * zone — or every zone — looks dead: then the likelier culprit is the network between the
 * control plane and the nodes, and evicting everything would only make it worse.
 *
 *   Normal             fewer than 3 nodes not ready, or under unhealthyZoneThreshold of them
 *   PartialDisruption  3 or more and at least the threshold: taint slowly (large clusters) or not at all
 *   FullDisruption     no node of the zone ready
 */
import type { NodeCondition } from './node-health.js';

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];
const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

const firstLabel = (labels: Record<string, string> | undefined, keys: string[]): string => {
  for (const k of keys) if (labels?.[k]) return labels[k]!;
  return '';
};

/** region and zone joined by ":\0:" as kube does; '' for a node with neither */
export function zoneKey(labels: Record<string, string> | undefined): string {
  const region = firstLabel(labels, REGION_LABELS);
  const zone = firstLabel(labels, ZONE_LABELS);
  if (!region && !zone) return '';
  return `${region}:\u0000:${zone}`;
}

export function computeZoneState(readyConditions: ReadonlyArray<NodeCondition | undefined>, unhealthyZoneThreshold: number): { notReadyNodes: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const c of readyConditions) {
    if (c?.status === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { notReadyNodes: notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold) return { notReadyNodes: notReady, state: 'PartialDisruption' };
  return { notReadyNodes: notReady, state: 'Normal' };
}

/**
 * kube's setLimiterInZone: nodes per second to taint in a zone of `zoneSize` nodes in this
 * state; 0 means do not taint.
 */
export function zoneTaintRate(state: ZoneState, zoneSize: number, settings: { evictionLimiterQPS: number; secondaryEvictionLimiterQPS: number; largeClusterSizeThreshold: number }): number {
  switch (state) {
    case 'Normal':
    case 'FullDisruption':
      return settings.evictionLimiterQPS;
    case 'PartialDisruption':
      return zoneSize > settings.largeClusterSizeThreshold ? settings.secondaryEvictionLimiterQPS : 0;
    default:
      return settings.evictionLimiterQPS;
  }
}
