/**
 * One GET to a kubelet's HTTPS API on behalf of a client (kube-apiserver's
 * LocationStreamer + GenericHttpResponseChecker): TLS with the API server's kubelet-client
 * certificate, the kubelet's serving certificate verified against the cluster CA (unless
 * the caller asked for insecureSkipTLSVerifyBackend). A 2xx answer is handed back as a
 * stream; anything else becomes the ApiError kube would make from it, carrying the
 * kubelet's text; a kubelet that cannot be reached is a 503 naming the node.
 */
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { KubeletClientCredentials } from '../catalogue/server-services.js';
import { ApiError, apiErrors, type StatusReason } from '../errors/api-error.js';
import type { KubeletLocation } from './kubelet-location.js';

export interface KubeletGet {
  location: KubeletLocation;
  /** path and query, e.g. /containerLogs/ns/pod/c?follow=true */
  path: string;
  credentials: KubeletClientCredentials;
  insecureSkipTLSVerify?: boolean;
  signal?: AbortSignal;
  /** connecting and the answer's headers must take no longer (default 30 s) */
  timeoutMs?: number;
}

/** kube reads at most this much of an error body */
const MAX_ERROR_BODY = 4096;

const REASON_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function kubeletGet(get: KubeletGet): Promise<IncomingMessage> {
  const { location, credentials } = get;
  const where = `the kubelet on node "${location.nodeName}" (${location.host}:${location.port})`;
  return new Promise((resolve, reject) => {
    const req = httpsRequest({
      host: location.host,
      port: location.port,
      method: 'GET',
      path: get.path,
      cert: credentials.cert,
      key: credentials.key,
      ca: credentials.ca,
      rejectUnauthorized: !get.insecureSkipTLSVerify,
      // SNI only for names; the certificate is checked against the IP SAN either way
      ...(isIP(location.host) ? {} : { servername: location.host }),
      agent: false,
      ...(get.signal ? { signal: get.signal } : {}),
      timeout: get.timeoutMs ?? 30_000,
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (get.signal?.aborted) return reject(apiErrors.unavailable(`the request to ${where} was cancelled`));
      reject(apiErrors.unavailable(`unable to reach ${where}: ${err.code ?? err.message}${err.code && err.message && !err.message.includes(err.code) ? ` (${err.message})` : ''}`));
    });
    req.on('response', (res) => {
      res.removeAllListeners('timeout');
      req.setTimeout(0);
      const code = res.statusCode ?? 0;
      if (code >= 200 && code <= 206) return resolve(res);
      readSome(res).then(
        (text) => reject(new ApiError(REASON_BY_CODE[code] ?? 'InternalError', text.trim() || `${where} answered ${code}`)),
        reject,
      );
    });
    req.end();
  });
}

function readSome(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      if (size < MAX_ERROR_BODY) chunks.push(chunk);
      size += chunk.length;
    });
    const done = () => resolve(Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY).toString('utf8'));
    res.on('end', done);
    res.on('error', done);
    res.on('aborted', done);
  });
}
