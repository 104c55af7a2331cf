import { BroadcastGroups } from './broadcast-groups';

describe('BroadcastGroups', () => {
  const groups = new BroadcastGroups(['notifications-feed'], 60_000);

  it('tells replica groups of a declared broadcast group from once groups', () => {
    expect(groups.deliveryOf('notifications-feed.host-42')).toEqual({
      delivery: 'broadcast',
      declared: 'notifications-feed',
    });
    expect(groups.deliveryOf('notifications-feed')).toEqual({
      delivery: 'once',
      declared: 'notifications-feed',
    });
    expect(groups.deliveryOf('notifications')).toEqual({
      delivery: 'once',
      declared: 'notifications',
    });
    expect(groups.deliveryOf('notifications-feed.')).toEqual({
      delivery: 'once',
      declared: 'notifications-feed.',
    });
  });

  it('expires a replica group only after it sat without members and unmoved for the expiry time', () => {
    const g = new BroadcastGroups(['feed'], 60_000);
    expect(g.observe('feed.a', 1, 'o1', 0)).toBe(false);
    expect(g.observe('feed.a', 0, 'o2', 10_000)).toBe(false); // offsets moved: active at 10 s
    expect(g.observe('feed.a', 0, 'o2', 69_000)).toBe(false);
    expect(g.observe('feed.a', 0, 'o2', 70_000)).toBe(true);
  });

  it('never expires once groups, however idle', () => {
    const g = new BroadcastGroups(['feed'], 1_000);
    expect(g.observe('payments', 0, 'x', 0)).toBe(false);
    expect(g.observe('payments', 0, 'x', 10_000_000)).toBe(false);
  });

  it('starts the clock again for a group that came back', () => {
    const g = new BroadcastGroups(['feed'], 60_000);
    g.observe('feed.a', 0, 'o', 0);
    g.observe('feed.a', 1, 'o', 50_000);
    expect(g.observe('feed.a', 0, 'o', 100_000)).toBe(false);
    g.retain(new Set());
    expect(g.observe('feed.a', 0, 'o', 1_000_000)).toBe(false); // forgotten: first sight again
  });
});
