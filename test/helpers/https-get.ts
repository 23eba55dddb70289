/**
 * HTTPS requests to a test cluster, trusting its CA (fetch cannot take a CA or a client
 * certificate without extra packages). One connection per request (no agent), so a
 * stopped cluster never waits on an idle keep-alive socket from a test.
 */
import { request } from 'node:https';

export interface HttpsOptions {
  /** PEM CA to trust (the cluster's) */
  ca: string;
  /** PEM client certificate and key to present */
  cert?: string;
  key?: string;
  /** sent as `Authorization: Bearer <token>` */
  token?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

export function httpsRequest(url: string, options: HttpsOptions): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: options.ca,
        ...(options.cert !== undefined ? { cert: options.cert, key: options.key } : {}),
        agent: false,
        headers: {
          ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const httpsGet = (url: string, options: HttpsOptions): Promise<HttpsResponse> => httpsRequest(url, { ...options, method: 'GET' });
