/**
 * The query of the kubelet's /containerLogs endpoint, as kube's kubelet reads it into
 * PodLogOptions: follow, previous, timestamps (booleans: anything but "false"/"0" is
 * true, Go's ParameterCodec rule), tailLines, limitBytes, sinceSeconds (integers),
 * sinceTime (RFC3339). Bad values are an error message for a 400.
 */
import { parseRfc3339 } from '../logs/log-time.js';
import type { ContainerLogOptions } from '../logs/read-container-log.js';

export type RawQuery = Record<string, string | string[] | undefined>;

export interface ContainerLogQuery extends ContainerLogOptions {
  previous: boolean;
}

const first = (query: RawQuery, key: string): string | undefined => {
  const value = query[key];
  return Array.isArray(value) ? value[0] : value;
};

const bool = (query: RawQuery, key: string): boolean => {
  const value = first(query, key);
  return value !== undefined && value !== 'false' && value !== '0';
};

function integer(query: RawQuery, key: string): number | undefined {
  const value = first(query, key);
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw new LogQueryError(`${key}: invalid value ${JSON.stringify(value)}: must be an integer`);
  return Number(value);
}

export class LogQueryError extends Error {}

/** `nowMs` turns sinceSeconds into an instant */
export function parseContainerLogQuery(query: RawQuery, nowMs: number): ContainerLogQuery {
  const tailLines = integer(query, 'tailLines');
  const limitBytes = integer(query, 'limitBytes');
  const sinceSeconds = integer(query, 'sinceSeconds');
  const sinceTimeText = first(query, 'sinceTime');
  if (tailLines !== undefined && tailLines < 0) throw new LogQueryError('tailLines: must be greater than or equal to 0');
  if (limitBytes !== undefined && limitBytes < 1) throw new LogQueryError('limitBytes: must be greater than 0');
  if (sinceSeconds !== undefined && sinceSeconds < 1) throw new LogQueryError('sinceSeconds: must be greater than 0');
  if (sinceSeconds !== undefined && sinceTimeText) throw new LogQueryError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  let sinceMs: number | undefined;
  if (sinceSeconds !== undefined) sinceMs = nowMs - sinceSeconds * 1000;
  if (sinceTimeText) {
    sinceMs = parseRfc3339(sinceTimeText);
    if (Number.isNaN(sinceMs)) throw new LogQueryError(`sinceTime: invalid value ${JSON.stringify(sinceTimeText)}: must be an RFC3339 time`);
  }
  return {
    previous: bool(query, 'previous'),
    follow: bool(query, 'follow'),
    timestamps: bool(query, 'timestamps'),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
    ...(sinceMs !== undefined ? { sinceMs } : {}),
  };
}
