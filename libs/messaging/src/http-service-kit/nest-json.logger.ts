import { LoggerService } from '@nestjs/common';
import { LogFunction, LogLevel } from '@troupe/observability';

/** Nest's own log lines, as Troupe's JSON lines. */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly write: LogFunction) {}

  log(message: unknown, context?: string): void {
    this.emit('info', message, context);
  }
  error(message: unknown, stack?: string, context?: string): void {
    this.emit('error', message, context, stack);
  }
  warn(message: unknown, context?: string): void {
    this.emit('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.emit('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.emit('debug', message, context);
  }

  private emit(level: LogLevel, message: unknown, context?: string, stack?: string): void {
    this.write(level, typeof message === 'string' ? message : JSON.stringify(message), { context, ...(stack ? { stack } : {}) });
  }
}
