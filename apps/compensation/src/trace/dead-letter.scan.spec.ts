import type {
  ClusterAdmin,
  IncomingMessage,
  PartitionBatch,
  SubscribeOptions,
  Transport,
} from '@troupe/messaging';
import { DeadLetterScan } from './dead-letter.scan';

const letter = (
  topic: string,
  partition: number,
  offset: number,
  correlationId: string,
): IncomingMessage => ({
  topic,
  partition,
  offset: String(offset),
  key: 'k',
  value: null,
  timestamp: 0,
  headers: {
    ce_id: `e-${offset}`,
    ce_type: 'troupe.it.Thing',
    ce_correlationid: correlationId,
    'troupe-dlq-group': 'payments',
    'troupe-dlq-topic': 'orders.order.events',
    'troupe-dlq-partition': '3',
    'troupe-dlq-offset': '41',
    'troupe-dlq-error-code': 'payment.invalid',
    'troupe-dlq-error-message': 'no card',
    'troupe-dlq-attempts': '5',
  },
});

/** A transport whose subscription delivers `messages` per partition in one batch each; records what was asked. */
function fakes(
  offsets: Record<string, Array<{ partition: number; earliest: string; latest: string }> | Error>,
  messages: IncomingMessage[],
  subscribeError?: Error,
) {
  const calls = { subscribed: [] as SubscribeOptions[], stopped: 0, deleted: [] as string[] };
  const admin = {
    topicOffsets: async (topic: string) => {
      const o = offsets[topic];
      if (o instanceof Error) throw o;
      return o ?? [];
    },
    deleteGroups: async (groups: readonly string[]) => {
      calls.deleted.push(...groups);
      return [];
    },
  } as unknown as ClusterAdmin;
  const transport = {
    subscribe: async (
      options: SubscribeOptions,
      handle: (batch: PartitionBatch) => Promise<void>,
    ) => {
      if (subscribeError) throw subscribeError;
      calls.subscribed.push(options);
      const parts = new Map<string, IncomingMessage[]>();
      for (const m of messages.filter((m) => options.topics.includes(m.topic)))
        parts.set(`${m.topic}/${m.partition}`, [
          ...(parts.get(`${m.topic}/${m.partition}`) ?? []),
          m,
        ]);
      setImmediate(async () => {
        for (const batch of parts.values())
          await handle({
            topic: batch[0].topic,
            partition: batch[0].partition,
            messages: batch,
            markDone: () => undefined,
          } as unknown as PartitionBatch);
      });
      return { stop: async () => void calls.stopped++ };
    },
  } as unknown as Transport;
  return { scan: new DeadLetterScan(transport, admin, 2_000), calls };
}

describe('DeadLetterScan', () => {
  it('reads non-empty dead-letter topics to their current end and keeps the letters of the flow', async () => {
    const { scan, calls } = fakes(
      {
        'payments.dlq': [
          { partition: 0, earliest: '0', latest: '2' },
          { partition: 1, earliest: '5', latest: '6' },
        ],
        'shipping.dlq': [{ partition: 0, earliest: '4', latest: '4' }],
      },
      [
        letter('payments.dlq', 0, 0, 'other'),
        letter('payments.dlq', 0, 1, 'flow-1'),
        letter('payments.dlq', 1, 5, 'flow-1'),
      ],
    );
    const result = await scan.find(['payments.dlq', 'shipping.dlq', 'payments.dlq'], 'flow-1');
    expect(calls.subscribed).toEqual([
      expect.objectContaining({ topics: ['payments.dlq'], fromBeginning: true }),
    ]);
    expect(calls.subscribed[0].group).toMatch(/^compensation\.trace\./);
    expect(calls.deleted).toEqual([calls.subscribed[0].group]);
    expect(calls.stopped).toBe(1);
    expect(result.scanned).toEqual(['payments.dlq']);
    expect(result.unread).toEqual([]);
    expect(result.found).toEqual([
      expect.objectContaining({
        eventId: 'e-1',
        group: 'payments',
        errorCode: 'payment.invalid',
        errorMessage: 'no card',
        attempts: 5,
        originalOffset: '41',
      }),
      expect.objectContaining({ eventId: 'e-5' }),
    ]);
  });

  it('costs no consumer when every dead-letter topic is empty or missing', async () => {
    const { scan, calls } = fakes(
      {
        'a.dlq': [{ partition: 0, earliest: '3', latest: '3' }],
        'b.dlq': new Error(
          'This server does not host this topic-partition (UNKNOWN_TOPIC_OR_PARTITION)',
        ),
      },
      [],
    );
    expect(await scan.find(['a.dlq', 'b.dlq'], 'flow-1')).toEqual({
      found: [],
      scanned: [],
      unread: [],
    });
    expect(calls.subscribed).toEqual([]);
  });

  it('says which topics it could not read, instead of failing the trace', async () => {
    const { scan } = fakes(
      {
        'a.dlq': [{ partition: 0, earliest: '0', latest: '1' }],
        'b.dlq': new Error('Connection timeout'),
      },
      [],
      new Error('broker away'),
    );
    expect(await scan.find(['a.dlq', 'b.dlq'], 'flow-1')).toEqual({
      found: [],
      scanned: [],
      unread: [
        { topic: 'b.dlq', problem: 'Connection timeout' },
        { topic: 'a.dlq', problem: 'cannot be read: broker away' },
      ],
    });
  });

  it('gives up on a topic not read to its end in time, naming it', async () => {
    const { scan, calls } = fakes({ 'a.dlq': [{ partition: 0, earliest: '0', latest: '10' }] }, [
      letter('a.dlq', 0, 0, 'flow-1'),
    ]);
    const result = await scan.find(['a.dlq'], 'flow-1');
    expect(result.unread).toEqual([
      { topic: 'a.dlq', problem: 'not read to its end within 2000 ms' },
    ]);
    expect(result.found).toHaveLength(1);
    expect(calls.stopped).toBe(1);
  });
});
