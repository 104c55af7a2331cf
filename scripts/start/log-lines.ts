type Level = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Level[] = ['debug', 'info', 'warn', 'error'];

export type TerminalLogLevel = Level | 'none';

/**
 * An app's output line for the terminal: JSON log lines (Troupe's format) become
 * `12:00:01 payments  warn  message`; other lines are kept as they are. Returns undefined when
 * the line is below `minimum`. The log files keep every line unchanged.
 */
export function terminalLine(
  app: string,
  line: string,
  minimum: TerminalLogLevel,
): string | undefined {
  if (minimum === 'none') return undefined;
  let level: Level = 'info';
  let text = line;
  let time = new Date().toISOString();
  if (line.startsWith('{')) {
    try {
      const parsed = JSON.parse(line) as { level?: string; msg?: string; time?: string };
      if (ORDER.includes(parsed.level as Level)) level = parsed.level as Level;
      text = parsed.msg ?? line;
      time = parsed.time ?? time;
    } catch {
      // not JSON after all: keep the raw line
    }
  } else if (line.startsWith('--- ')) {
    // The orchestrator's own markers: starts, exits, kills.
    level = / exited with | killed | SIGKILL/.test(line) ? 'warn' : 'info';
    text = line.slice(4);
  } else if (/^\s*(at |Error|TypeError|\w+Error:)/.test(line)) {
    level = 'error';
  }
  if (ORDER.indexOf(level) < ORDER.indexOf(minimum)) return undefined;
  return `${time.slice(11, 19)} ${app.padEnd(13)} ${level.padEnd(5)} ${text}`;
}
