/**
 * How many streaming connections the kubelet accepted, by kind, transport and protocol,
 * served as Prometheus text on the kubelet's /metrics (k8ts's own series; kube has none).
 * kubectl silently falls back from WebSocket to SPDY when an upgrade fails, so this is
 * how a user — and the end-to-end tests — can see which path a command really took.
 */
export type StreamTransport = 'spdy' | 'websocket' | 'spdy-over-websocket';

export class StreamCounters {
  private readonly counts = new Map<string, number>();

  record(kind: 'exec' | 'attach' | 'portforward', transport: StreamTransport, protocol: string): void {
    const key = `kind="${kind}",transport="${transport}",protocol="${protocol.replace(/["\\\n]/g, '_')}"`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** `open`: the streaming connections live now */
  prometheusText(open: number): string {
    const lines = [
      '# HELP k8ts_kubelet_streaming_connections_open Streaming connections open now.',
      '# TYPE k8ts_kubelet_streaming_connections_open gauge',
      `k8ts_kubelet_streaming_connections_open ${open}`,
      '# HELP k8ts_kubelet_streaming_connections_total Streaming connections (exec, attach, port-forward) accepted, by transport and sub-protocol.',
      '# TYPE k8ts_kubelet_streaming_connections_total counter',
    ];
    for (const [labels, n] of [...this.counts].sort()) lines.push(`k8ts_kubelet_streaming_connections_total{${labels}} ${n}`);
    return lines.join('\n') + '\n';
  }
}
