/**
 * The kubelet's live streaming connections, by pod: so that deleting a pod ends every
 * exec, attach and port-forward into it (kube closes them as the containers go), and so
 * that stopping the kubelet server ends them all — upgraded sockets are no longer the
 * HTTP server's, so its own close would leave them open.
 */
export class StreamSessions {
  private readonly byPod = new Map<string, Set<() => void>>();

  /** `close` ends the connection; the returned function forgets it (call on normal end) */
  add(namespace: string, pod: string, close: () => void): () => void {
    const key = `${namespace}/${pod}`;
    let set = this.byPod.get(key);
    if (!set) this.byPod.set(key, (set = new Set()));
    set.add(close);
    return () => {
      set.delete(close);
      if (set.size === 0 && this.byPod.get(key) === set) this.byPod.delete(key);
    };
  }

  get size(): number {
    let n = 0;
    for (const set of this.byPod.values()) n += set.size;
    return n;
  }

  closePod(namespace: string, pod: string): void {
    const set = this.byPod.get(`${namespace}/${pod}`);
    if (!set) return;
    this.byPod.delete(`${namespace}/${pod}`);
    for (const close of set) close();
  }

  closeAll(): void {
    const all = [...this.byPod.values()];
    this.byPod.clear();
    for (const set of all) for (const close of set) close();
  }
}
