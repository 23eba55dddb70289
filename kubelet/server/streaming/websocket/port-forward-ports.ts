/**
 * The `port` query parameter of a plain WebSocket port-forward, parsed the way the kubelet
 * does it (portforward/websocket.go NewV4Options), with its error texts.
 *
 * The parameter may repeat and each value may hold a comma-separated list:
 * `?port=80&port=443` and `?port=80,443` both give [80, 443]. Each entry must be a plain
 * decimal uint16 (Go's strconv.ParseUint(p, 10, 16)) greater than 0. Note kube's name is
 * "port" (api.PortHeader), not "ports".
 */

export const PORT_FORWARD_QUERY_PARAMETER = 'port';

export type PortsParse = { ok: true; ports: number[] } | { ok: false; message: string };

/** Go's strconv.ParseUint(s, 10, 16) outcome: the value, or its error text. */
function parseUint16(text: string): number | string {
  if (!/^[0-9]+$/.test(text)) return `strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`;
  const digits = text.replace(/^0+(?=.)/, '');
  if (digits.length > 5 || Number(digits) > 0xffff) return `strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`;
  return Number(digits);
}

/** `values` = every value of the `port` query parameter, in order. */
export function parsePortForwardPorts(values: readonly string[]): PortsParse {
  const name = JSON.stringify(PORT_FORWARD_QUERY_PARAMETER);
  if (values.length === 0) return { ok: false, message: `query parameter ${name} is required` };
  const ports: number[] = [];
  for (const value of values) {
    if (value.length === 0) return { ok: false, message: `query parameter ${name} cannot be empty` };
    for (const entry of value.split(',')) {
      const port = parseUint16(entry);
      if (typeof port === 'string') return { ok: false, message: `unable to parse ${JSON.stringify(value)} as a port: ${port}` };
      if (port < 1) return { ok: false, message: `port ${JSON.stringify(value)} must be > 0` };
      ports.push(port);
    }
  }
  return { ok: true, ports };
}
