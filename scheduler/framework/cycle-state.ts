/**
 * Per-pod scratch space for one scheduling cycle (kube's framework.CycleState): PreFilter
 * computes something once, Filter and Score read it for every node. Preemption clones the
 * state and changes the clone through PreFilterExtensions (AddPod/RemovePod), so values
 * that those change must implement clone().
 */

export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private readonly data = new Map<string, StateData>();
  /** set by the framework when it scores: plugins may skip work only scoring needs */
  skipScorePlugins = new Set<string>();
  skipFilterPlugins = new Set<string>();

  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: StateData): void {
    this.data.set(key, value);
  }

  delete(key: string): void {
    this.data.delete(key);
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v.clone());
    c.skipScorePlugins = new Set(this.skipScorePlugins);
    c.skipFilterPlugins = new Set(this.skipFilterPlugins);
    return c;
  }
}
