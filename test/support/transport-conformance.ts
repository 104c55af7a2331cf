import { IncomingMessage, PartitionBatch, Subscription, Transport } from '@troupe/messaging';
import { isRetriable } from '@troupe/schemas';
import { uniqueName, waitFor } from '@troupe/testing';
import { deleteFromBroker } from './broker-cleanup';

/**
 * The contract of libs/messaging's Transport port (transport.port.ts), as one suite every
 * adapter must pass against a real broker: per-key order, commit only after the effect,
 * redelivery after a crash, revocation on a rebalance, pause and resume, and errors that say
 * whether trying again can help. `makeTransport` gives a fresh client each call.
 */
export function describeTransportConformance(
  name: string,
  adapter: {
    /** A fresh client of the test broker. */
    make: () => Transport;
    /** A client pointed at a broker address where nothing listens. */
    unreachable: () => Transport;
  },
): void {
  const makeTransport = adapter.make;
  describe(`Transport conformance: ${name}`, () => {
    const transports: Transport[] = [];
    const topics: string[] = [];
    const groups: string[] = [];
    const transport = () => {
      const t = makeTransport();
      transports.push(t);
      return t;
    };
    const topic = async (partitions: number) => {
      const id = uniqueName('it.conformance');
      topics.push(id);
      await transport().ensureTopics([{ topic: id, partitions }]);
      return id;
    };
    const group = () => {
      const id = uniqueName('it-conformance');
      groups.push(id);
      return id;
    };
    const publish = async (to: string, messages: Array<{ key: string; value: string }>) => {
      const publisher = await transport().publisher();
      await publisher.publish(
        messages.map((m) => ({
          topic: to,
          key: m.key,
          value: Buffer.from(m.value),
          headers: { 'x-test': m.value },
        })),
      );
      await publisher.close();
    };
    const subscribe = (
      options: { group: string; topic: string },
      handle: (batch: PartitionBatch) => Promise<void>,
      t = transport(),
    ) =>
      t.subscribe(
        {
          group: options.group,
          topics: [options.topic],
          fromBeginning: true,
          partitionConcurrency: 4,
        },
        handle,
      );
    const doneAll = async (
      batch: PartitionBatch,
      each: (m: IncomingMessage) => void | Promise<void>,
    ) => {
      for (const message of batch.messages) {
        if (!batch.isActive()) return;
        await each(message);
        batch.markDone(message);
      }
      await batch.commit();
    };

    afterAll(async () => {
      for (const t of transports) await t.close().catch(() => undefined);
      await deleteFromBroker({ topics, groups });
    });

    it('delivers the messages of one key in the order they were published, with key, value and headers', async () => {
      const t = await topic(4);
      const sent = Array.from({ length: 200 }, (_, i) => ({
        key: `k${i % 7}`,
        value: `${i % 7}:${i}`,
      }));
      await publish(t, sent);
      const seen = new Map<string, string[]>();
      const subscription = await subscribe({ group: group(), topic: t }, (batch) =>
        doneAll(batch, (m) => {
          expect(m.headers['x-test']).toBe(m.value?.toString());
          seen.set(m.key!, [...(seen.get(m.key!) ?? []), m.value!.toString()]);
        }),
      );
      await waitFor('all 200 messages', () => [...seen.values()].flat().length === 200);
      await subscription.stop();
      for (const [key, values] of seen)
        expect(values).toEqual(sent.filter((m) => m.key === key).map((m) => m.value));
    });

    it('commits only what was marked done: a consumer that stops without marking gets the rest again', async () => {
      const t = await topic(1);
      const g = group();
      await publish(
        t,
        Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: String(i) })),
      );
      const first: string[] = [];
      const one = await subscribe({ group: g, topic: t }, async (batch) => {
        for (const message of batch.messages) {
          first.push(message.value!.toString());
          if (message.value!.toString() === '4') return; // crash-like: 4 and later never marked done
          batch.markDone(message);
          await batch.commit();
        }
      });
      await waitFor('the first consumer to reach 4', () => first.includes('4'));
      await one.stop();
      const second: string[] = [];
      const two = await subscribe({ group: g, topic: t }, (batch) =>
        doneAll(batch, (m) => void second.push(m.value!.toString())),
      );
      await waitFor('the rest', () => second.includes('9'));
      await two.stop();
      expect(second).toEqual(['4', '5', '6', '7', '8', '9']);
    });

    it('reports a batch inactive once a second consumer joins the group, and commits nothing more for it', async () => {
      const t = await topic(2);
      const g = group();
      await publish(
        t,
        Array.from({ length: 40 }, (_, i) => ({ key: `k${i % 2}`, value: String(i) })),
      );
      let inFlight: PartitionBatch | undefined;
      let release!: () => void;
      let released = false;
      const held = new Promise<void>((resolve) => (release = resolve));
      const one = await subscribe({ group: g, topic: t }, async (batch) => {
        if (released) return; // from now on this consumer marks nothing: what it held goes to the other
        inFlight ??= batch;
        if (batch === inFlight) {
          // Keep the batch open, heartbeating, until the rebalance is seen.
          while (batch.isActive()) {
            await batch.heartbeat();
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
          batch.markDone(batch.messages[batch.messages.length - 1]);
          await batch.commit(); // must not commit: the partition went away
          released = true;
          release();
          return;
        }
        await doneAll(batch, () => undefined);
      });
      await waitFor('the first batch', () => inFlight !== undefined);
      const epoch = inFlight!.assignmentEpoch;
      const seenBySecond: string[] = [];
      const two = await subscribe({ group: g, topic: t }, (batch) =>
        doneAll(batch, (m) => void seenBySecond.push(m.value!.toString())),
      );
      await held;
      expect(inFlight!.isActive()).toBe(false);
      await one.stop();
      const heldValues = inFlight!.messages.map((m) => m.value!.toString());
      await waitFor(
        'the held batch redelivered to the second consumer',
        () => heldValues.every((v) => seenBySecond.includes(v)),
        30_000,
      );
      await two.stop();
      expect(epoch).toBeGreaterThanOrEqual(0);
    });

    it('stops fetching a paused topic until it is resumed', async () => {
      const t = await topic(1);
      const g = group();
      const seen: string[] = [];
      let subscription: Subscription | undefined;
      subscription = await subscribe({ group: g, topic: t }, (batch) =>
        doneAll(batch, (m) => void seen.push(m.value!.toString())),
      );
      await waitFor('membership', () => subscription!.isMember(), 30_000);
      subscription.pause([t]);
      await publish(t, [{ key: 'k', value: 'while-paused' }]);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(seen).toEqual([]);
      subscription.resume([t]);
      await waitFor('the message after resume', () => seen.includes('while-paused'), 30_000);
      await subscription.stop();
      subscription = undefined;
    });

    it('says whether a failed publish can succeed later: a missing topic or a message too large cannot', async () => {
      const publisher = await transport().publisher();
      const missing = await publisher
        .publish([
          {
            topic: uniqueName('it.conformance-missing'),
            key: 'k',
            value: Buffer.from('x'),
            headers: {},
          },
        ])
        .catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(Error);
      expect(isRetriable(missing)).toBe(false);
      const t = await topic(1);
      const tooLarge = await publisher
        .publish([{ topic: t, key: 'k', value: Buffer.alloc(2 * 1024 * 1024), headers: {} }])
        .catch((error: unknown) => error);
      expect(isRetriable(tooLarge)).toBe(false);
      await publisher.close();
    });

    it('says a broker that cannot be reached may come back (retriable)', async () => {
      const unreachable = adapter.unreachable();
      transports.push(unreachable);
      const publisher = await unreachable.publisher();
      const error = await publisher
        .publish([{ topic: 'any', key: null, value: Buffer.from('x'), headers: {} }])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(isRetriable(error)).toBe(true);
    });
  });
}
