/**
 * Durations printed the way Go's time.Duration.String() prints them, because kubelet
 * messages users already know carry that form: "back-off 10s restarting failed
 * container", "back-off 1m20s", "5m0s". Tests run with millisecond backoffs, so the
 * sub-second forms ("10ms", "1.5s") are covered too.
 */

export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const negative = ms < 0;
  const abs = Math.abs(ms);
  let text: string;
  if (abs < 1000) {
    // Go switches to µs/ns below 1 ms; a kubelet never reports those, so ms is the floor
    text = `${trimFraction(abs)}ms`;
  } else {
    const totalSeconds = abs / 1000;
    const hours = Math.floor(totalSeconds / 3600);
    const minutes = Math.floor((totalSeconds - hours * 3600) / 60);
    const seconds = totalSeconds - hours * 3600 - minutes * 60;
    const secondsText = `${trimFraction(seconds)}s`;
    if (hours > 0) text = `${hours}h${minutes}m${secondsText}`;
    else if (minutes > 0) text = `${minutes}m${secondsText}`;
    else text = secondsText;
  }
  return negative ? `-${text}` : text;
}

/** 1.5 → "1.5", 2 → "2", 0.1234567 → "0.123" (kube rounds its durations; so do we, to ms) */
function trimFraction(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
