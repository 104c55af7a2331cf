import { TrafficOptions, TrafficSnapshot } from './traffic.generator';

const ms = (value: number | undefined): string =>
  value === undefined ? '–' : `${Math.round(value)} ms`;
const pct = (share: number): string => `${Math.round(share * 100)}%`;

function clock(elapsedMs: number): string {
  const seconds = Math.floor(elapsedMs / 1000);
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The demo's live summary, as lines of text (no colours, so logs of it stay readable). */
export function demoSummary(
  snapshot: TrafficSnapshot,
  options: Pick<TrafficOptions, 'ratePerSecond' | 'declineShare' | 'stockShare'>,
): string[] {
  const s = snapshot;
  const cancelled = s.cancelled.payment + s.cancelled.stock + s.cancelled.other;
  const rate = s.elapsedMs > 0 ? (s.placed / (s.elapsedMs / 1000)).toFixed(1) : '0.0';
  const lines = [
    `demo ${clock(s.elapsedMs)}  target ${options.ratePerSecond}/s (${pct(options.declineShare)} built to fail payment, ${pct(options.stockShare)} to fail stock), actual ${rate}/s`,
    `placed ${s.placed}  confirmed ${s.confirmed}  cancelled ${cancelled} (payment ${s.cancelled.payment}, stock ${s.cancelled.stock}, other ${s.cancelled.other})  in flight ${s.inFlight}${s.stuck ? ` (${s.stuck} over 30 s)` : ''}`,
    `placed → final: p50 ${ms(s.latency.p50)}  p95 ${ms(s.latency.p95)}  max ${ms(s.latency.max)}  (${s.latency.count} orders)`,
    `unexpected outcomes ${s.unexpected}  request errors ${s.placeErrors + s.pollErrors}${s.lastError ? `  last: ${s.lastError.slice(0, 100)}` : ''}`,
  ];
  return lines;
}
