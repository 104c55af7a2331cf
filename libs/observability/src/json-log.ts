import { currentTrace } from './trace-context';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFunction = (
  level: LogLevel,
  message: string,
  extra?: Record<string, unknown>,
) => void;

/**
 * Structured logs: one JSON object per line on stderr, carrying the correlation id and
 * traceparent of the work in progress when there is one.
 */
export function jsonLogger(service: string, minimum: LogLevel = 'info'): LogFunction {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const floor = order.indexOf(minimum);
  return (level, message, extra) => {
    if (order.indexOf(level) < floor) return;
    const trace = currentTrace();
    const line: Record<string, unknown> = {
      level,
      time: new Date().toISOString(),
      service,
      msg: message,
    };
    if (trace) {
      line.correlationId = trace.correlationId;
      if (trace.traceparent) line.traceparent = trace.traceparent;
    }
    if (extra)
      for (const [key, value] of Object.entries(extra))
        line[key] =
          value instanceof Error
            ? { name: value.name, message: value.message, stack: value.stack }
            : value;
    process.stderr.write(`${JSON.stringify(line)}\n`);
  };
}

/** Adapts a log function to `(message, error?)` callers. */
export function errorLogger(
  log: LogFunction,
  level: LogLevel = 'warn',
): (message: string, error?: unknown) => void {
  return (message, error) => log(level, message, error === undefined ? undefined : { error });
}
