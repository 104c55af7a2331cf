import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { postgresFailureOf } from '../lifecycle/postgres-errors';

/** An RFC 9457 problem description. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Validation failures: one entry per field. */
  errors?: Array<{ field: string; problems: string[] }>;
}

/** How long a client is asked to wait (Retry-After) after a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** What body-parser (through http-errors) throws for a body it cannot read. */
interface BodyReadError {
  status: number;
  expose: boolean;
  type?: string;
  message: string;
  limit?: number;
  length?: number;
}

/**
 * Every error response as `application/problem+json`, never with internals:
 * - HttpExceptions keep their status; validation failures (TroupeValidationPipe) list the fields;
 * - a body that cannot be read: 400 (not JSON), 413 (over the limit, naming it), 415 (charset);
 * - PostgreSQL refusing a value (SQLSTATE class 22, e.g. text it cannot hold): 400 naming it;
 * - PostgreSQL unreachable or busy (see postgresFailureOf): 503;
 * - anything else: 500, logged.
 * Every 503 carries Retry-After.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly log: (error: unknown) => void = () => undefined) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException && isHealthCheckResult(exception.getResponse())) {
      // /health/ready's 503: terminus's own result ({status, info, error, details}), which
      // probes and dashboards read as it is.
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const problem = this.toProblem(exception);
    if (problem.status >= 500 && problem.status !== HttpStatus.SERVICE_UNAVAILABLE)
      this.log(exception);
    if (problem.status === HttpStatus.SERVICE_UNAVAILABLE && !response.getHeader('retry-after'))
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(problem.status).type('application/problem+json').json(problem);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof HttpException) return fromHttpException(exception);
    if (isBodyReadError(exception)) return fromBodyReadError(exception);
    switch (postgresFailureOf(exception)) {
      case 'bad-input':
        return problem(
          HttpStatus.BAD_REQUEST,
          `the database cannot store a value of this request: ${(exception as Error).message}`,
        );
      case 'unavailable':
        return problem(
          HttpStatus.SERVICE_UNAVAILABLE,
          'the database is unavailable right now; nothing was written, repeat the request later',
        );
      default:
        return problem(HttpStatus.INTERNAL_SERVER_ERROR);
    }
  }
}

function fromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const body = exception.getResponse() as
    string | { message?: unknown; error?: string; errors?: ProblemDetails['errors'] };
  const title = typeof body === 'object' && body.error ? body.error : titleOf(status);
  if (typeof body === 'object' && body.errors) {
    return {
      type: 'about:blank',
      title,
      status,
      detail: `${body.errors.length} field(s) are invalid: ${body.errors.map((e) => e.field).join(', ')}`,
      errors: body.errors,
    };
  }
  const message =
    typeof body === 'string'
      ? body
      : Array.isArray(body.message)
        ? body.message.join('; ')
        : String(body.message ?? exception.message);
  return { type: 'about:blank', title, status, detail: message };
}

function isHealthCheckResult(body: unknown): boolean {
  const b = body as { status?: unknown; details?: unknown } | null;
  return !!b && typeof b === 'object' && b.status === 'error' && typeof b.details === 'object';
}

function isBodyReadError(error: unknown): error is BodyReadError {
  const e = error as Partial<BodyReadError> | null;
  return (
    !!e &&
    typeof e === 'object' &&
    e.expose === true &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500
  );
}

function fromBodyReadError(error: BodyReadError): ProblemDetails {
  if (error.type === 'entity.too.large')
    return problem(
      HttpStatus.PAYLOAD_TOO_LARGE,
      `the request body has ${error.length ?? 'more than'} bytes; the limit is ${error.limit} bytes`,
    );
  if (error.type === 'entity.parse.failed')
    return problem(HttpStatus.BAD_REQUEST, `the request body is not valid JSON: ${error.message}`);
  return problem(error.status, error.message);
}

function problem(status: number, detail?: string): ProblemDetails {
  return { type: 'about:blank', title: titleOf(status), status, ...(detail ? { detail } : {}) };
}

function titleOf(status: number): string {
  return (
    HttpStatus[status]
      ?.replace(/_/g, ' ')
      .toLowerCase()
      .replace(/^\w/, (c) => c.toUpperCase()) ?? 'Error'
  );
}
