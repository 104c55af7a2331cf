import { parseStartOptions } from './start.options';

describe('parseStartOptions', () => {
  it('has defaults for everything', () => {
    expect(parseStartOptions([])).toEqual({
      demo: false,
      rate: 5,
      declineShare: 0.1,
      stockShare: 0.1,
      durationS: undefined,
      logs: 'warn',
      apps: [
        'orders',
        'payments',
        'inventory',
        'shipping',
        'notifications',
        'checkout',
        'scheduler',
        'tasks',
        'compensation',
      ],
    });
    expect(parseStartOptions(['--demo']).logs).toBe('error');
  });

  it('reads the demo flags', () => {
    expect(
      parseStartOptions([
        '--demo',
        '--rate=20',
        '--decline-share=0.2',
        '--stock-share=0',
        '--duration=30',
      ]),
    ).toMatchObject({ demo: true, rate: 20, declineShare: 0.2, stockShare: 0, durationS: 30 });
  });

  it('names the bad flag', () => {
    expect(() => parseStartOptions(['--rate=fast'])).toThrow('--rate must be a number');
    expect(() => parseStartOptions(['--colour'])).toThrow('unknown flag --colour');
    expect(() => parseStartOptions(['--apps=orders,billing'])).toThrow('unknown app "billing"');
    expect(() => parseStartOptions(['--decline-share=0.7', '--stock-share=0.5'])).toThrow(
      'at most 1',
    );
    expect(() => parseStartOptions(['--demo', '--apps=orders'])).toThrow('--demo needs');
  });
});
