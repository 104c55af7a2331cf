import { GroupSample, GroupStatusTracker, judge } from './group-status';

const WINDOW = 60_000;
const sample = (at: number, members: number, committed: number, lag: number): GroupSample => ({
  at,
  members,
  partitions: new Map([['0@t', { committed, lag }]]),
});
const polls = (n: number, f: (i: number) => GroupSample) =>
  Array.from({ length: n }, (_, i) => f(i));

describe('group status', () => {
  it('is OK for a group that keeps up', () => {
    expect(
      judge(
        polls(13, (i) => sample(i * 5_000, 1, 100 + i * 10, 0)),
        WINDOW,
      ),
    ).toBe('OK');
    expect(
      judge(
        polls(13, (i) => sample(i * 5_000, 1, 100 + i * 10, i % 2 ? 5 : 3)),
        WINDOW,
      ),
    ).toBe('OK');
  });

  it('is OK for a partition that was caught up at some poll of the window, however its lag moves', () => {
    // A steady flow: lag 0 or 1 from poll to poll, ending at 1.
    expect(
      judge(
        polls(13, (i) => sample(i * 5_000, 1, 100 + i * 10, i === 12 ? 1 : 0)),
        WINDOW,
      ),
    ).toBe('OK');
    expect(
      judge(
        polls(13, (i) => sample(i * 5_000, 0, 100, i === 0 ? 0 : 50)),
        WINDOW,
      ),
    ).toBe('OK');
  });

  it('is WARN when the group commits but its lag never shrinks over the window', () => {
    expect(
      judge(
        polls(13, (i) => sample(i * 5_000, 1, 100 + i, 10 + i * 5)),
        WINDOW,
      ),
    ).toBe('WARN');
  });

  it('is STALL when members are there but the committed offset does not move while lag waits', () => {
    expect(
      judge(
        polls(13, (i) => sample(i * 5_000, 2, 100, 50 + i)),
        WINDOW,
      ),
    ).toBe('STALL');
  });

  it('is STOP when nobody consumes and lag waits', () => {
    expect(
      judge(
        polls(13, (i) => sample(i * 5_000, 0, 100, 50)),
        WINDOW,
      ),
    ).toBe('STOP');
  });

  it('does not judge STOP or STALL before a whole window was seen, nor a group without lag', () => {
    expect(
      judge(
        polls(5, (i) => sample(i * 5_000, 0, 100, 50)),
        WINDOW,
      ),
    ).toBe('OK');
    expect(
      judge(
        polls(13, (i) => sample(i * 5_000, 0, 100, 0)),
        WINDOW,
      ),
    ).toBe('OK');
  });

  it('takes the worst partition for the group', () => {
    const s = (i: number): GroupSample => ({
      at: i * 5_000,
      members: 1,
      partitions: new Map([
        ['0@t', { committed: 100 + i, lag: 0 }],
        ['1@t', { committed: 7, lag: 40 }],
      ]),
    });
    expect(judge(polls(13, s), WINDOW)).toBe('STALL');
  });

  it('keeps a sliding window per group', () => {
    const tracker = new GroupStatusTracker(WINDOW);
    let status = 'OK';
    for (let i = 0; i < 13; i++) status = tracker.observe('g', sample(i * 5_000, 0, 100, 50));
    expect(status).toBe('STOP');
    // The consumer comes back and catches up: OK at once.
    expect(tracker.observe('g', sample(70_000, 1, 150, 0))).toBe('OK');
    tracker.forget('g');
    expect(tracker.groups()).toEqual([]);
  });
});
