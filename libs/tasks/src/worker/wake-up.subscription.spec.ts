import type {
  PartitionBatch,
  Publisher,
  SubscribeOptions,
  Subscription,
  Transport,
} from '@troupe/messaging';
import { TroupeMetrics } from '@troupe/observability';
import { subscribeWakeUps } from './wake-up.subscription';

type CrashListener = (error: Error) => void;

/** A subscription that joins at once and crashes on demand (as kafkajs' consumer does on a join error). */
class CrashingSubscription implements Subscription {
  private listeners: CrashListener[] = [];
  private crashed = false;
  constructor(readonly group: string) {}
  isMember() {
    return !this.crashed;
  }
  onCrash(listener: CrashListener) {
    this.listeners.push(listener);
  }
  pause() {}
  resume() {}
  async stop() {}
  crash(error: Error) {
    this.crashed = true;
    for (const listener of this.listeners) listener(error);
  }
}

class FakeTransport implements Transport {
  readonly subscriptions: CrashingSubscription[] = [];
  async subscribe(options: SubscribeOptions, _handle: (batch: PartitionBatch) => Promise<void>) {
    const subscription = new CrashingSubscription(options.group);
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

describe('subscribeWakeUps', () => {
  it('rejoins after the consumer crashes (e.g. the coordinator is still loading), instead of staying out of the group for good', async () => {
    const transport = new FakeTransport();
    const metrics = new TroupeMetrics();
    const logs: string[] = [];
    const target = {
      hungry: true,
      stopping: false,
      wake: () => undefined,
      untilHungry: async () => undefined,
    };
    const wakeUps = await subscribeWakeUps(
      transport,
      { group: 'svc.workers', topic: 'tasks.task.events', partitionConcurrency: 1, partitions: 1 },
      target,
      { metrics, log: (message) => logs.push(message) },
    );
    expect(wakeUps.isReady()).toBe(true);

    transport.subscriptions[0].crash(
      new Error("The coordinator is loading and hence can't process requests for this group"),
    );
    expect(wakeUps.isReady()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 800));

    expect(transport.subscriptions).toHaveLength(2);
    expect(wakeUps.isReady()).toBe(true);
    expect(logs[0]).toMatch(/consumer group svc\.workers crashed; restarting in \d+ ms/);
    expect(
      await metrics.registry.getSingleMetricAsString('troupe_consumer_restarts_total'),
    ).toContain('group="svc.workers"');
    await wakeUps.stop();
  });
});
