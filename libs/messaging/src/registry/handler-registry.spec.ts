import { defineTestEvent } from '@troupe/testing';
import { BatchItem, BatchContext, EventContext } from '../consumer/event-context';
import { TopicNaming } from '../topology/topic-naming';
import { HandlerRegistry } from './handler-registry';

const Ping = defineTestEvent<{ id: string }>(
  'spec.ping.events',
  { type: 'record', name: 'Ping', namespace: 'troupe.spec', fields: [{ name: 'id', type: 'string' }] },
  'id',
);

describe('HandlerRegistry and batch handlers', () => {
  const registry = () => new HandlerRegistry(new TopicNaming('', 'i1'), { timeoutMs: 1000 });
  const base = { event: Ping, group: 'g', delivery: 'once' as const, retry: {}, name: 'Spec.h' };

  it('calls a batch handler alone with one event when asked per event (fallback, parking lot, replay)', async () => {
    const seen: Array<{ items: readonly BatchItem[]; batch: BatchContext }> = [];
    const handler = registry().add({ ...base, handleBatch: (items, batch) => void seen.push({ items, batch }) });
    const event = Ping.of({ id: 'a' });
    const tx = { marker: 'tx' };
    const ctx = { group: 'g', eventId: 'e1', tx, signal: new AbortController().signal } as unknown as EventContext;
    await handler.handle(event, ctx);
    expect(seen).toHaveLength(1);
    expect(seen[0].items).toEqual([{ event, ctx }]);
    expect(seen[0].batch.alone).toBe(true);
    expect(seen[0].batch.tx).toBe(tx);
    expect(seen[0].batch.group).toBe('g');
    expect(handler.handleBatch).toBeDefined();
  });

  it('refuses a batch handler in a broadcast group, naming it', () => {
    expect(() => registry().add({ ...base, delivery: 'broadcast', handleBatch: () => undefined })).toThrow(
      "batch handler Spec.h needs delivery 'once'",
    );
  });

  it('refuses a registration with both handle and handleBatch, or neither', () => {
    expect(() => registry().add({ ...base, handle: () => undefined, handleBatch: () => undefined })).toThrow(
      'handler Spec.h needs exactly one of handle and handleBatch',
    );
    expect(() => registry().add({ ...base })).toThrow('handler Spec.h needs exactly one of handle and handleBatch');
  });

  it("defaults a handler's effects to 'external' and keeps a declared 'transaction'", () => {
    expect(registry().add({ ...base, handle: () => undefined }).effects).toBe('external');
    expect(registry().add({ ...base, effects: 'transaction', handle: () => undefined }).effects).toBe('transaction');
  });

  it("refuses effects other than 'transaction' and 'external', and 'transaction' in a broadcast group, naming the handler", () => {
    expect(() => registry().add({ ...base, effects: 'tx' as never, handle: () => undefined })).toThrow(
      `effects of handler Spec.h must be 'transaction' or 'external', got "tx"`,
    );
    expect(() => registry().add({ ...base, delivery: 'broadcast', effects: 'transaction', handle: () => undefined })).toThrow(
      "effects 'transaction' of handler Spec.h needs delivery 'once'",
    );
  });
});
