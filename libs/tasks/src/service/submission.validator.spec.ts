import { IsInt, IsString, Min } from 'class-validator';
import { defineTask } from '../definition/task-type';
import { isSameSubmission, validateSubmission } from './submission.validator';

class Payload {
  @IsString()
  name!: string;

  @IsInt()
  @Min(1)
  count!: number;
}

const types = new Map([
  ['job', defineTask({ name: 'job', payload: Payload, options: { maxAttempts: 4 } })],
]);
const limits = { maxDelayMs: 86_400_000, maxPastMs: 3_600_000 };
const now = Date.parse('2026-01-01T12:00:00Z');
const fields = async (submission: Parameters<typeof validateSubmission>[0]) => {
  const checked = await validateSubmission(submission, types, limits, now);
  return 'errors' in checked ? checked.errors.map((e) => e.field) : [];
};

describe('validateSubmission', () => {
  it('turns a valid submission into a task with its type defaults', async () => {
    expect(
      await validateSubmission(
        {
          type: 'job',
          payload: { name: 'a', count: 2 },
          priority: 'high',
          runAt: '2026-01-01T13:00:00Z',
          idempotencyKey: 'k',
        },
        types,
        limits,
        now,
      ),
    ).toEqual({
      task: {
        type: 'job',
        payload: { name: 'a', count: 2 },
        priority: 0,
        runAt: new Date('2026-01-01T13:00:00Z'),
        maxAttempts: 4,
        idempotencyKey: 'k',
      },
    });
    expect(
      await validateSubmission(
        { type: 'job', payload: { name: 'a', count: 2 } },
        types,
        limits,
        now,
      ),
    ).toMatchObject({ task: { priority: 1, runAt: null, idempotencyKey: null } });
  });

  it('names every bad field', async () => {
    expect(await fields({ type: 'nope', payload: {} })).toEqual(['type']);
    expect(await fields({ type: 'job', payload: { name: 'a', count: 0, extra: 1 } })).toEqual([
      'payload.extra',
      'payload.count',
    ]);
    expect(await fields({ type: 'job', payload: { name: 'a\u0000', count: 1 } })).toEqual([
      'payload.name',
    ]);
    expect(await fields({ type: 'job', payload: 'x' })).toEqual(['payload']);
    expect(
      await fields({
        type: 'job',
        payload: { name: 'a', count: 1 },
        priority: 'urgent',
        runAt: '2026-01-03T12:00:00Z',
        idempotencyKey: '',
      }),
    ).toEqual(['priority', 'runAt', 'Idempotency-Key']);
    expect(
      await fields({
        type: 'job',
        payload: { name: 'a', count: 1 },
        runAt: '2026-01-01T10:00:00Z',
      }),
    ).toEqual(['runAt']);
    expect(await fields({ type: 'job', payload: { name: 'a', count: 1 }, runAt: 'soon' })).toEqual([
      'runAt',
    ]);
  });
});

describe('isSameSubmission', () => {
  const task = {
    type: 'job',
    payload: { name: 'a', count: 2 },
    priority: 1,
    runAt: null,
    maxAttempts: 4,
    idempotencyKey: 'k',
  };
  it('ignores key order, not values', () => {
    expect(
      isSameSubmission(task, { type: 'job', payload: { count: 2, name: 'a' }, priority: 1 }),
    ).toBe(true);
    expect(
      isSameSubmission(task, { type: 'job', payload: { count: 3, name: 'a' }, priority: 1 }),
    ).toBe(false);
    expect(
      isSameSubmission(task, { type: 'job', payload: { count: 2, name: 'a' }, priority: 0 }),
    ).toBe(false);
  });
});
