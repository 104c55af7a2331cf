import { CliFailure } from './exit-codes';
import { parseFlags, parseTime } from './flags';

describe('parseFlags', () => {
  const spec = { group: { value: true }, type: { value: true, many: true }, 'dry-run': {} };

  it('reads values, repeated values, switches and positionals', () => {
    const parsed = parseFlags(['status', '--group', 'payments', '--type=a', '--type', 'b', '--dry-run'], spec);
    expect(parsed.values).toEqual({ group: ['payments'], type: ['a', 'b'] });
    expect([...parsed.switches]).toEqual(['dry-run']);
    expect(parsed.positionals).toEqual(['status']);
  });

  it('refuses unknown options, missing values and a single-valued option given twice (exit 2)', () => {
    for (const args of [['--nope'], ['--group'], ['--group', 'a', '--group', 'b']]) {
      expect(() => parseFlags(args, spec)).toThrow(CliFailure);
      try {
        parseFlags(args, spec);
      } catch (error) {
        expect((error as CliFailure).exitCode).toBe(2);
      }
    }
  });
});

describe('parseTime', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it('takes ISO 8601 and times relative to now', () => {
    expect(parseTime('from', '2026-12-01T10:00:00Z', now)).toBe('2026-12-01T10:00:00.000Z');
    expect(parseTime('from', '-2h', now)).toBe('2026-12-01T10:00:00.000Z');
    expect(parseTime('from', '-30m', now)).toBe('2026-12-01T11:30:00.000Z');
    expect(parseTime('to', 'now', now)).toBe('2026-12-01T12:00:00.000Z');
  });

  it('refuses anything else, naming the option', () => {
    expect(() => parseTime('from', 'yesterday', now)).toThrow('--from must be an ISO 8601 time');
    expect(() => parseTime('from', '12', now)).toThrow(CliFailure);
  });
});
