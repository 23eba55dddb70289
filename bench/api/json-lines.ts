/**
 * A watch stream's chunks split into JSON lines (the API server writes one event per
 * line): returns the 'data' handler; onLine gets each non-empty line and when the chunk
 * that completed it arrived (performance.now()), which the benches time events by.
 */
export function jsonLines(onLine: (line: string, arrivedAt: number) => void): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    const at = performance.now();
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.trim() !== '') onLine(line, at);
    }
  };
}
