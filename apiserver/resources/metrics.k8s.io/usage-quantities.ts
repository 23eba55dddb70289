/**
 * metrics-server's quantities, so clients see the strings they would from it: CPU is
 * built from nano-cores at scale -9 and memory from bytes in BinarySI, both printed in
 * kube's canonical form — 2000000 nano-cores is "2m", 123456789 is "123456789n";
 * 8388608 bytes is "8Mi", 1638400 is "1600Ki", 1025 is "1025", and below 1Ki kube
 * switches to decimal suffixes (1000 bytes is "1k"). kubectl top parses them all.
 */
import { formatQuantity } from '../../../client/quantity.js';

export const cpuQuantity = (nanoCores: number): string => formatQuantity({ nano: BigInt(Math.max(0, Math.floor(nanoCores))), format: 'DecimalSI' });

export const memoryQuantity = (bytes: number): string => formatQuantity({ nano: BigInt(Math.max(0, Math.floor(bytes))) * 1_000_000_000n, format: 'BinarySI' });

/**
 * Go's time.Duration.String() for a whole number of milliseconds ("10s", "1m0s", "1.5s",
 * "500ms"): the window of a metrics sample is a metav1.Duration, which prints that way.
 */
export function goDurationString(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const secondsMs = ms % 60_000;
  const seconds = `${Math.floor(secondsMs / 1000)}${secondsMs % 1000 ? `.${String(secondsMs % 1000).padStart(3, '0').replace(/0+$/, '')}` : ''}s`;
  if (hours) return `${hours}h${minutes}m${seconds}`;
  if (minutes) return `${minutes}m${seconds}`;
  return seconds;
}
