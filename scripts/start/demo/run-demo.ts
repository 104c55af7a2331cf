import { demoSummary } from './demo-summary';
import { TerminalPanel } from './terminal-panel';
import { TrafficGenerator, TrafficSnapshot } from './traffic.generator';

export interface RunDemoOptions {
  checkoutUrl: string;
  inventoryUrl: string;
  rate: number;
  declineShare: number;
  stockShare: number;
  declineAboveCents: number;
  /** Stop placing after this long; default: when `stopped` resolves. */
  durationS?: number;
  /** Resolves when the user wants to stop (Ctrl-C). */
  stopped: Promise<void>;
  panel: TerminalPanel;
}

/** How long orders in flight may take to settle once placing stops. */
const DRAIN_MS = 15_000;

/**
 * Seeds stock, places orders until the duration is up or the user stops, refreshing the
 * summary every second; then waits (at most 15 s) for the orders in flight to settle and
 * returns the final numbers.
 */
export async function runDemo(options: RunDemoOptions): Promise<TrafficSnapshot> {
  const traffic = new TrafficGenerator({
    checkoutUrl: options.checkoutUrl,
    inventoryUrl: options.inventoryUrl,
    ratePerSecond: options.rate,
    declineShare: options.declineShare,
    stockShare: options.stockShare,
    declineAboveCents: options.declineAboveCents,
  });
  await traffic.seed();
  options.panel.print(
    `demo run ${traffic.runId}: SKUs ${[...traffic.catalog.plentiful.map((p) => p.sku), traffic.catalog.scarce.sku].join(', ')} seeded`,
  );
  const show = () =>
    options.panel.draw(
      demoSummary(traffic.snapshot(), {
        ratePerSecond: options.rate,
        declineShare: options.declineShare,
        stockShare: options.stockShare,
      }),
    );
  traffic.start();
  const ticker = setInterval(show, 1000);
  let timer: NodeJS.Timeout | undefined;
  const duration = new Promise<void>((resolve) => {
    if (options.durationS !== undefined) timer = setTimeout(resolve, options.durationS * 1000);
  });
  await Promise.race([options.stopped, duration]);
  clearTimeout(timer);
  traffic.stopPlacing();
  const drainUntil = Date.now() + DRAIN_MS;
  while (traffic.snapshot().inFlight > 0 && Date.now() < drainUntil)
    await new Promise((resolve) => setTimeout(resolve, 250));
  clearInterval(ticker);
  traffic.stop();
  const final = traffic.snapshot();
  options.panel.draw(
    demoSummary(final, {
      ratePerSecond: options.rate,
      declineShare: options.declineShare,
      stockShare: options.stockShare,
    }),
  );
  return final;
}
