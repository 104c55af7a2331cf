import { PublishRefusedError } from './publish-refused.error';
import { RelayMessage } from './relay-publisher.port';
import { DueRow, RelayRowStore, RelaySender, estimatedBytes, splitBySize } from './relay-sender';

let seq = 0;
const row = (topic: string, key: string | null, bytes = 10, note = ''): DueRow => ({
  id: `${++seq}${note}`,
  topic,
  key,
  event_type: 'e',
  payload: Buffer.alloc(bytes),
  headers: {},
  due_at: new Date(),
});

/** A publisher that refuses (for good) any request holding a row whose id ends in "!", and fails transiently on "~". */
function fakeBroker() {
  const requests: string[][] = [];
  return {
    requests,
    publisher: {
      async publish(messages: readonly RelayMessage[]) {
        const ids = messages.map((m) => m.headers.id);
        requests.push(ids);
        if (ids.some((id) => id.endsWith('!')))
          throw new PublishRefusedError('MESSAGE_TOO_LARGE', 'too large');
        if (ids.some((id) => id.endsWith('~'))) throw new Error('broker away');
      },
    },
  };
}

function recordingStore() {
  const log = { published: [] as string[], quarantined: [] as string[], failed: [] as string[] };
  const store: RelayRowStore = {
    confirmLeader: async () => undefined,
    published: async (rows) => void log.published.push(...rows.map((r) => r.id)),
    quarantine: async (r) => void log.quarantined.push(r.id),
    failed: async (rows) => void log.failed.push(...rows.map((r) => r.id)),
  };
  return { log, store };
}

const withIdHeader = (rows: DueRow[]) => rows.map((r) => ({ ...r, headers: { id: r.id } }));

describe('RelaySender', () => {
  it('quarantines only the refused row, holds later rows of its key and publishes everything else', async () => {
    const rows = withIdHeader([
      row('t', 'a'),
      row('t', 'b'),
      row('t', 'a', 10, '!'),
      row('t', 'c'),
      row('t', 'a'),
      row('u', 'a'),
      row('t', null),
    ]);
    const broker = fakeBroker();
    const { log, store } = recordingStore();
    const sent = await new RelaySender(broker.publisher, store, 1_000_000).send(rows);
    expect(log.quarantined).toEqual([rows[2].id]);
    expect(log.published.sort()).toEqual(
      [rows[0], rows[1], rows[3], rows[5], rows[6]].map((r) => r.id).sort(),
    );
    expect(log.published).not.toContain(rows[4].id); // same topic and key, behind the quarantined row
    expect(sent).toBe(5);
  });

  it('quarantines every row of the topics a refusal names and sends the others in the same round', async () => {
    const rows = withIdHeader([row('gone', 'a'), row('ok', 'a'), row('gone', 'b')]);
    const requests: string[][] = [];
    const publisher = {
      async publish(messages: readonly RelayMessage[]) {
        requests.push(messages.map((m) => m.headers.id));
        if (messages.some((m) => m.topic === 'gone'))
          throw new PublishRefusedError('UNKNOWN_TOPIC_OR_PARTITION', 'no topic', ['gone']);
      },
    };
    const { log, store } = recordingStore();
    await new RelaySender(publisher, store, 1_000_000).send(rows);
    expect(log.quarantined).toEqual([rows[0].id, rows[2].id]);
    expect(log.published).toEqual([rows[1].id]);
    expect(requests).toHaveLength(2);
  });

  it('stops at a transient failure: earlier requests stay published, the failed rows are recorded, later ones are not sent', async () => {
    const rows = withIdHeader([row('t', 'a', 600), row('t', 'b', 600, '~'), row('t', 'c', 600)]);
    const broker = fakeBroker();
    const { log, store } = recordingStore();
    await expect(new RelaySender(broker.publisher, store, 1000).send(rows)).rejects.toThrow(
      'broker away',
    );
    expect(log.published).toEqual([rows[0].id]);
    expect(log.failed).toEqual([rows[1].id]);
    expect(log.quarantined).toEqual([]);
    expect(broker.requests).toEqual([[rows[0].id], [rows[1].id]]);
  });

  it('publishes nothing once the leader check fails', async () => {
    const broker = fakeBroker();
    const { log, store } = recordingStore();
    store.confirmLeader = async () => {
      throw new Error('not the relay leader');
    };
    await expect(
      new RelaySender(broker.publisher, store, 1000).send(withIdHeader([row('t', 'a')])),
    ).rejects.toThrow('not the relay leader');
    expect(broker.requests).toEqual([]);
    expect(log.published).toEqual([]);
  });
});

describe('splitBySize', () => {
  it('keeps each request within the limit and the rows in order', () => {
    const rows = Array.from({ length: 50 }, () => row('t', 'busy', 5000));
    const requests = splitBySize(rows, 20_000);
    expect(requests.flat()).toEqual(rows);
    for (const request of requests) {
      expect(request.reduce((n, r, i) => n + estimatedBytes(r, i === 0), 0)).toBeLessThanOrEqual(
        20_000,
      );
    }
    expect(requests.length).toBeGreaterThan(1);
  });

  it('sends a row bigger than the limit alone', () => {
    const rows = [row('t', 'a'), row('t', 'a', 50_000), row('t', 'a')];
    expect(splitBySize(rows, 10_000).map((r) => r.length)).toEqual([1, 1, 1]);
  });

  it('counts key, value and headers', () => {
    const base = row('t', 'k', 100);
    expect(estimatedBytes({ ...base, headers: { ce_id: 'x'.repeat(36) } }, false)).toBeGreaterThan(
      estimatedBytes(base, false) + 36,
    );
  });
});
