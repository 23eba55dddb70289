/**
 * One kubelet's Summary, fetched for the metrics API: GET /stats/summary over the same
 * TLS client pods/log uses (kubelet-client/kubelet-get.ts), bounded in time (connect,
 * headers and body together) and in size. Anything going wrong — no address, the kubelet
 * down or slow, a non-2xx, bad JSON — is `undefined`: metrics-server leaves a node it
 * cannot scrape out of its answer instead of failing the request, and so do we.
 */
import type { IncomingMessage } from 'node:http';
import type { KubeletClientCredentials } from '../../catalogue/server-services.js';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { kubeletGet } from '../../kubelet-client/kubelet-get.js';
import { kubeletLocation } from '../../kubelet-client/kubelet-location.js';
import { readKubeletSummary, type KubeletSummary } from './kubelet-summary.js';

/** metrics-server's kubelet request timeout is 10 s; `kubectl top` waits on this one, so shorter */
export const DEFAULT_SCRAPE_TIMEOUT_MS = 5_000;
/** a Summary of a full node (110 pods) is well under 1 MiB */
export const MAX_SUMMARY_BYTES = 8 * 1024 * 1024;

export type SummaryScraper = (node: KubeObject) => Promise<KubeletSummary | undefined>;

export interface ScraperOptions {
  credentials: KubeletClientCredentials;
  timeoutMs?: number;
  maxBytes?: number;
  /** told why a kubelet was left out */
  onFailure?: (nodeName: string, err: unknown) => void;
}

export function kubeletSummaryScraper(options: ScraperOptions): SummaryScraper {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SCRAPE_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? MAX_SUMMARY_BYTES;
  return async (node) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      const location = kubeletLocation(node);
      const res = await kubeletGet({ location, path: '/stats/summary', credentials: options.credentials, signal: abort.signal, timeoutMs });
      const text = await readBody(res, maxBytes);
      return readKubeletSummary(JSON.parse(text));
    } catch (err) {
      options.onFailure?.(node.metadata.name ?? '', err);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** the whole body as text; rejects past `maxBytes`, or when the response breaks off */
function readBody(res: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        reject(new Error(`the Summary is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the kubelet broke off its answer')));
    res.on('close', () => {
      if (!res.complete) reject(new Error('the kubelet closed the connection mid-answer'));
    });
  });
}
