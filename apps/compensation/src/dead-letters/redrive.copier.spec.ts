import { IncomingMessage } from '@troupe/messaging';
import { ReplayJob } from '../replay/replay-job.store';
import { DeadLetterActions } from './dead-letter-actions.store';
import { RedriveCopier } from './redrive.copier';
import { originalOf } from './dead-letter.view';

const deadLetter = (headers: Record<string, string> = {}, offset = '7'): IncomingMessage => ({
  topic: 'payments.dlq',
  partition: 1,
  offset,
  key: 'order-1',
  value: Buffer.from('body'),
  headers: {
    ce_id: '0190a3c2-0000-7000-8000-000000000001',
    ce_type: 'troupe.orders.OrderPlaced',
    'troupe-dlq-topic': 'orders.order.events',
    'troupe-dlq-partition': '3',
    'troupe-dlq-offset': '42',
    'troupe-dlq-error-code': 'payment.bug',
    'troupe-dlq-attempts': '5',
    ...headers,
  },
  timestamp: 0,
});

const job = { id: 'r-1', group: 'payments', targetTopic: 'payments.replay', selection: { topic: 'payments.dlq', eventTypes: ['troupe.orders.OrderPlaced'] } } as unknown as ReplayJob;

describe('RedriveCopier', () => {
  const actions = (done: Map<string, 'redriven' | 'quarantined'> = new Map()) => ({ of: async () => done, record: jest.fn() }) as unknown as DeadLetterActions;

  it('sends the original event to the replay topic: dead-letter headers dropped, source and count set', async () => {
    const copier = new RedriveCopier(actions(), 3);
    await copier.prepare(job);
    const out = copier.dispose(job, deadLetter());
    expect(out).toEqual({
      send: {
        topic: 'payments.replay',
        key: 'order-1',
        value: Buffer.from('body'),
        headers: {
          ce_id: '0190a3c2-0000-7000-8000-000000000001',
          ce_type: 'troupe.orders.OrderPlaced',
          'troupe-replay-id': 'r-1',
          'troupe-replay-mode': 'missed',
          'troupe-replay-source-topic': 'orders.order.events',
          'troupe-replay-source-partition': '3',
          'troupe-replay-source-offset': '42',
          'troupe-redrive-count': '1',
        },
      },
    });
  });

  it('quarantines one redriven the limit times already, and passes by one already redriven', async () => {
    const copier = new RedriveCopier(actions(new Map([['1@8', 'redriven']])), 2);
    await copier.prepare(job);
    expect(copier.dispose(job, deadLetter({ 'troupe-redrive-count': '2' }))).toEqual({ quarantine: true });
    expect(copier.dispose(job, deadLetter({}, '8'))).toBeUndefined();
    expect(copier.dispose(job, deadLetter({ 'troupe-redrive-count': '1' }))).toMatchObject({ send: { headers: { 'troupe-redrive-count': '2' } } });
  });

  it('finds where a re-dead-lettered replay copy was first published', () => {
    const copy = deadLetter({
      'troupe-dlq-topic': 'payments.replay',
      'troupe-replay-source-topic': 'orders.order.events',
      'troupe-replay-source-partition': '3',
      'troupe-replay-source-offset': '42',
    });
    expect(originalOf(copy)).toEqual({ topic: 'orders.order.events', partition: 3, offset: '42' });
  });
});
