import { terminalLine } from './log-lines';

describe('terminalLine', () => {
  const json = (level: string, msg: string) =>
    JSON.stringify({ level, time: '2026-01-02T12:34:56.789Z', service: 'payments', msg });

  it('condenses JSON log lines and filters by level', () => {
    expect(terminalLine('payments', json('warn', 'consumer restarted'), 'warn')).toBe(
      '12:34:56 payments      warn  consumer restarted',
    );
    expect(terminalLine('payments', json('info', 'listening'), 'warn')).toBeUndefined();
    expect(terminalLine('payments', json('error', 'boom'), 'none')).toBeUndefined();
  });

  it('shows exits reported by the orchestrator as warnings', () => {
    expect(
      terminalLine(
        'orders',
        '--- 2026-01-02T12:34:56.789Z orders (pid 7) exited with SIGKILL',
        'warn',
      ),
    ).toContain('warn  2026-01-02T12:34:56.789Z orders (pid 7) exited with SIGKILL');
  });

  it('keeps lines that are not JSON', () => {
    expect(terminalLine('orders', 'plain text', 'info')).toMatch(/orders\s+info\s+plain text$/);
  });
});
