import { TroupeMetrics } from './troupe-metrics';

describe('TroupeMetrics', () => {
  const text = (metrics: TroupeMetrics) => metrics.registry.metrics();

  it('reports relay leadership only where a relay runs', async () => {
    const without = new TroupeMetrics();
    expect(await text(without)).not.toMatch(/^troupe_relay_leader /m);
    const withRelay = new TroupeMetrics();
    let leads = false;
    withRelay.observeRelay(() => leads);
    expect(await text(withRelay)).toMatch(/^troupe_relay_leader 0$/m);
    leads = true;
    expect(await text(withRelay)).toMatch(/^troupe_relay_leader 1$/m);
  });

  it('starts the retry and restart counters of a group at zero when it first sees an event type', async () => {
    const metrics = new TroupeMetrics();
    expect(await text(metrics)).not.toMatch(/^troupe_retries_total\{/m);
    metrics.consumedEvent('payments', 'troupe.orders.OrderPlaced', 'handled', 0.01);
    const scraped = await text(metrics);
    expect(scraped).toMatch(
      /^troupe_retries_total\{group="payments",type="troupe.orders.OrderPlaced"\} 0$/m,
    );
    expect(scraped).toMatch(/^troupe_consumer_restarts_total\{group="payments"\} 0$/m);
    metrics.retried('payments', 'troupe.orders.OrderPlaced');
    expect(await text(metrics)).toMatch(
      /^troupe_retries_total\{group="payments",type="troupe.orders.OrderPlaced"\} 1$/m,
    );
  });
});
