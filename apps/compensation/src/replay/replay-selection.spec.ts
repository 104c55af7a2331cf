import { IncomingMessage } from '@troupe/messaging';
import { isEmptySelection, selector } from './replay-selection';
import { RateLimit } from './rate-limit';

const message = (over: Partial<IncomingMessage> & { id?: string; type?: string } = {}): IncomingMessage => ({
  topic: 't',
  partition: 0,
  offset: '1',
  key: 'k-1',
  value: Buffer.from('x'),
  headers: { ce_id: over.id ?? '0190a3c2-0000-7000-8000-000000000001', ce_type: over.type ?? 'troupe.a.Placed' },
  timestamp: Date.parse('2026-12-01T10:00:00Z'),
  ...over,
});

describe('selector', () => {
  const handled = new Set(['troupe.a.Placed']);

  it('picks only events of types the group handles', () => {
    expect(selector({ topic: 't' }, handled)(message())).toBe(true);
    expect(selector({ topic: 't' }, handled)(message({ type: 'troupe.a.Other' }))).toBe(false);
    expect(selector({ topic: 't' }, handled)(message({ headers: {} }))).toBe(false);
  });

  it('needs every filter given to match: ids (any case), key, time range, error codes', () => {
    const id = '0190A3C2-0000-7000-8000-000000000001';
    expect(selector({ topic: 't', eventIds: [id] }, handled)(message())).toBe(true);
    expect(selector({ topic: 't', eventIds: [id], key: 'k-2' }, handled)(message())).toBe(false);
    expect(selector({ topic: 't', from: '2026-12-01T10:00:00Z', to: '2026-12-01T10:00:01Z' }, handled)(message())).toBe(true);
    expect(selector({ topic: 't', to: '2026-12-01T10:00:00Z' }, handled)(message())).toBe(false);
    const code = (m: IncomingMessage) => m.headers['troupe-dlq-error-code'];
    expect(selector({ topic: 't', errorCodes: ['x'] }, handled, code)(message({ headers: { ...message().headers, 'troupe-dlq-error-code': 'x' } }))).toBe(true);
    expect(selector({ topic: 't', errorCodes: ['x'] }, handled, code)(message())).toBe(false);
  });

  it('leaves the time range to the offsets when offsets are given', () => {
    const partitions = [{ partition: 0, from: '0', to: '5' }];
    expect(selector({ topic: 't', partitions, to: '2020-01-01T00:00:00Z' }, handled)(message())).toBe(true);
  });
});

describe('isEmptySelection', () => {
  it('is true only when nothing narrows the topic', () => {
    expect(isEmptySelection({ topic: 't' })).toBe(true);
    expect(isEmptySelection({ topic: 't', eventTypes: [] })).toBe(true);
    expect(isEmptySelection({ topic: 't', key: '' })).toBe(false);
    expect(isEmptySelection({ topic: 't', from: '2026-12-01T10:00:00Z' })).toBe(false);
  });
});

describe('RateLimit', () => {
  it('spaces takes so that n events take n / perSecond seconds', async () => {
    const waits: number[] = [];
    const rate = new RateLimit(10);
    const sleep = async (ms: number) => void waits.push(ms);
    await rate.take(5, sleep); // the first batch goes at once
    await rate.take(5, sleep); // due 500 ms after the start
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(400);
    expect(waits[0]).toBeLessThanOrEqual(500);
  });
});
