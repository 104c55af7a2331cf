import { TroupeMetrics } from '@troupe/observability';
import { CrashListener, PartitionBatch, Publisher, SubscribeOptions, Subscription, Transport } from '../transport/transport.port';

import { GroupConsumer } from './group-consumer';

/** A transport double: subscriptions that join at once and crash on demand. */
class FakeSubscription implements Subscription {
  member = true;
  stopped = false;
  listeners: CrashListener[] = [];
  constructor(readonly group: string) {}
  isMember() {
    return this.member && !this.stopped;
  }
  onCrash(listener: CrashListener) {
    this.listeners.push(listener);
  }
  pause() {}
  resume() {}
  async stop() {
    this.stopped = true;
  }
  crash(error: Error) {
    this.member = false;
    for (const listener of this.listeners) listener(error);
  }
}

class FakeTransport implements Transport {
  subscriptions: FakeSubscription[] = [];
  async subscribe(options: SubscribeOptions, _handle: (batch: PartitionBatch) => Promise<void>) {
    const subscription = new FakeSubscription(options.group);
    this.subscriptions.push(subscription);
    return subscription;
  }
  async publisher(): Promise<Publisher> {
    throw new Error('not used');
  }
  async ensureTopics() {}
  async describeTopics() {
    return [];
  }
  async close() {}
}

describe('GroupConsumer', () => {
  const options = { group: 'g', topics: ['t'], fromBeginning: true, partitionConcurrency: 1, restartMaxBackoffMs: 50, stuckAfterMs: 60_000 };

  it('restarts a crashed consumer, reporting not ready meanwhile and counting the restart', async () => {
    const transport = new FakeTransport();
    const metrics = new TroupeMetrics();
    const consumer = new GroupConsumer(options, transport, { process: async () => undefined }, metrics, () => undefined);
    await consumer.start();
    expect(consumer.isReady()).toBe(true);

    transport.subscriptions[0].crash(new Error('broker gone'));
    expect(consumer.isReady()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(transport.subscriptions).toHaveLength(2);
    expect(transport.subscriptions[0].stopped).toBe(true);
    expect(consumer.isReady()).toBe(true);
    const restarts = await metrics.registry.getSingleMetric('troupe_consumer_restarts_total')?.get();
    expect(restarts?.values).toEqual([expect.objectContaining({ labels: { group: 'g' }, value: 1 })]);
    await consumer.stop();
    expect(consumer.isReady()).toBe(false);
  });

  it('keeps retrying when the first start fails, and does not restart once stopped', async () => {
    const transport = new FakeTransport();
    let failures = 2;
    const subscribe = transport.subscribe.bind(transport);
    transport.subscribe = async (o, h) => {
      if (failures-- > 0) throw new Error('broker unreachable');
      return subscribe(o, h);
    };
    const consumer = new GroupConsumer(options, transport, { process: async () => undefined }, new TroupeMetrics(), () => undefined);
    await consumer.launch();
    expect(consumer.isReady()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(consumer.isReady()).toBe(true);
    await consumer.stop();
    transport.subscriptions[0].crash(new Error('late crash'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(transport.subscriptions).toHaveLength(1);
  });
});
