import type { ServiceTraceView, TracedOutboxRowView } from '@troupe/messaging';
import type { DeadLetterScanResult } from './dead-letter.scan';
import { assembleFlowTrace, flowFound } from './flow-trace';

const T = (ms: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0, ms)).toISOString();
const row = (
  eventId: string,
  eventType: string,
  createdMs: number,
  publishedMs: number | null,
  extra: Partial<TracedOutboxRowView> = {},
): TracedOutboxRowView => ({
  eventId,
  eventType,
  topic: `${eventType}.topic`,
  key: 'k1',
  causationId: null,
  createdAt: T(createdMs),
  deliverAt: null,
  publishedAt: publishedMs === null ? null : T(publishedMs),
  quarantinedAt: null,
  quarantineReason: null,
  attempts: 1,
  lastError: null,
  ...extra,
});
const group = (name: string, eventTypes: string[], delivery: 'once' | 'broadcast' = 'once') => ({
  group: name,
  groupId: delivery === 'once' ? name : `${name}.replica-1`,
  delivery,
  eventTypes,
  deadLetterTopic: `${name}.dlq`,
});
const noDeadLetters: DeadLetterScanResult = { found: [], scanned: [], unread: [] };

describe('assembleFlowTrace', () => {
  const orders: ServiceTraceView = {
    service: 'orders',
    groups: [group('orders', ['Paid']), group('feed', ['Placed'], 'broadcast')],
    published: [row('e1', 'Placed', 0, 40)],
    handled: [{ groupId: 'orders', eventId: 'e2', handledAt: T(100) }],
    parked: [],
  };
  const payments: ServiceTraceView = {
    service: 'payments',
    groups: [group('payments', ['Placed'])],
    published: [row('e2', 'Paid', 50, 80, { causationId: 'e1' })],
    handled: [{ groupId: 'payments', eventId: 'e1', handledAt: T(50) }],
    parked: [],
  };

  it('orders the steps in time, handlings before what they wrote at the same instant, with the time between them', () => {
    const trace = assembleFlowTrace('c1', [orders, payments], [], noDeadLetters);
    expect(trace.status).toBe('complete');
    expect(
      trace.steps.map((s) => [s.kind, s.service, s.eventId, s.sinceStartMs, s.sincePreviousMs]),
    ).toEqual([
      ['written', 'orders', 'e1', 0, 0],
      ['published', 'orders', 'e1', 40, 40],
      ['handled', 'payments', 'e1', 50, 10],
      ['written', 'payments', 'e2', 50, 0],
      ['published', 'payments', 'e2', 80, 30],
      ['handled', 'orders', 'e2', 100, 20],
    ]);
    expect(trace.durationMs).toBe(100);
    // The broadcast group keeps no inbox: it is not expected.
    expect(trace.events[0].deliveries).toEqual([
      { service: 'payments', groupId: 'payments', state: 'handled', at: T(50) },
    ]);
    expect(trace.stops).toEqual([]);
  });

  it('says where the flow stopped: in an outbox, quarantined, parked, dead-lettered, or not handled yet', () => {
    const shipping: ServiceTraceView = {
      service: 'shipping',
      groups: [group('shipping', ['Paid']), group('audit', ['Paid'])],
      published: [
        row('e3', 'Shipped', 120, null),
        row('e4', 'Shipped', 130, null, {
          quarantinedAt: T(140),
          quarantineReason: 'MESSAGE_TOO_LARGE: 2 MB',
        }),
      ],
      handled: [],
      parked: [
        {
          groupId: 'shipping',
          eventId: 'e2',
          eventType: 'Paid',
          topic: 't',
          partition: 0,
          offset: '7',
          attempts: 3,
          firstFailureAt: T(90),
          lastFailureAt: T(110),
          lastError: 'carrier down',
          nextAttemptAt: T(900),
          held: false,
          parkedAt: T(90),
        },
      ],
    };
    const dead: DeadLetterScanResult = {
      found: [
        {
          deadLetterTopic: 'audit.dlq',
          group: 'audit',
          eventId: 'e2',
          eventType: 'Paid',
          originalTopic: 't',
          originalPartition: 0,
          originalOffset: '7',
          errorCode: 'audit.invalid',
          errorMessage: 'no amount',
          attempts: 1,
          firstFailureAt: T(95),
          lastFailureAt: T(95),
        },
      ],
      scanned: ['audit.dlq'],
      unread: [],
    };
    const trace = assembleFlowTrace(
      'c1',
      [orders, payments, shipping],
      [{ service: 'tasks', problem: 'tasks did not answer' }],
      dead,
    );
    expect(trace.status).toBe('stopped');
    expect(trace.stops.map((s) => [s.kind, s.service, s.groupId, s.eventId])).toEqual([
      ['parked', 'shipping', 'shipping', 'e2'],
      ['dead-lettered', 'shipping', 'audit', 'e2'],
      ['in-outbox', 'shipping', undefined, 'e3'],
      ['quarantined', 'shipping', undefined, 'e4'],
    ]);
    expect(trace.stops[0].detail).toContain('last error: carrier down');
    expect(trace.stops[1].detail).toContain('audit.invalid: no amount');
    expect(trace.stops[3].detail).toContain('MESSAGE_TOO_LARGE');
    expect(trace.services.unreachable).toEqual([
      { service: 'tasks', problem: 'tasks did not answer' },
    ]);
  });

  it('is in progress while an event waits to be handled, partial when a service did not answer', () => {
    const waiting = { ...payments, handled: [] };
    const inProgress = assembleFlowTrace('c1', [orders, waiting], [], noDeadLetters);
    expect(inProgress.status).toBe('in-progress');
    expect(inProgress.stops).toEqual([
      expect.objectContaining({
        kind: 'not-handled',
        groupId: 'payments',
        eventId: 'e1',
        since: T(40),
      }),
    ]);
    expect(
      assembleFlowTrace(
        'c1',
        [orders, payments],
        [{ service: 'x', problem: 'down' }],
        noDeadLetters,
      ).status,
    ).toBe('partial');
  });

  it('explains a handling recorded before its publication (the relay stamps rows after the broker acknowledged them)', () => {
    const early = {
      ...payments,
      handled: [{ groupId: 'payments', eventId: 'e1', handledAt: T(30) }],
    };
    const trace = assembleFlowTrace('c1', [orders, early], [], noDeadLetters);
    expect(trace.steps.find((s) => s.kind === 'published' && s.eventId === 'e1')!.detail).toContain(
      'stamped 10 ms after payments handled it',
    );
  });

  it('keeps dead letters of events no outbox holds any more, and finds nothing for an unknown id', () => {
    const dead: DeadLetterScanResult = {
      found: [
        {
          deadLetterTopic: 'payments.dlq',
          group: 'payments',
          eventId: 'old',
          eventType: 'Placed',
          originalTopic: 't',
          originalPartition: 1,
          originalOffset: '3',
          errorCode: 'x',
          errorMessage: 'y',
          attempts: 5,
          firstFailureAt: T(1),
          lastFailureAt: T(2),
        },
      ],
      scanned: ['payments.dlq'],
      unread: [],
    };
    const empty = { ...payments, published: [], handled: [] };
    expect(flowFound([empty], noDeadLetters)).toBe(false);
    expect(flowFound([empty], dead)).toBe(true);
    const trace = assembleFlowTrace('c1', [empty], [], dead);
    expect(trace.stops).toEqual([
      expect.objectContaining({
        kind: 'dead-lettered',
        service: 'payments',
        groupId: 'payments',
        eventId: 'old',
      }),
    ]);
  });
});
