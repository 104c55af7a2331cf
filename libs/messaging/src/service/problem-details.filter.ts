import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

/** An RFC 9457 problem description. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Validation failures: one entry per field. */
  errors?: Array<{ field: string; problems: string[] }>;
}

/**
 * Every error response as `application/problem+json`. Validation failures (from the global
 * ValidationPipe) list the fields; unexpected errors become a 500 without internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly log: (error: unknown) => void = () => undefined) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    if (problem.status >= 500) this.log(exception);
    response.status(problem.status).type('application/problem+json').json(problem);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (!(exception instanceof HttpException)) {
      // Errors of Express' body parser (http-errors: status + expose), e.g. 413 for a body over the limit.
      const { status, expose, message } = (exception ?? {}) as {
        status?: unknown;
        expose?: unknown;
        message?: unknown;
      };
      if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
        return {
          type: 'about:blank',
          title:
            HttpStatus[status]
              ?.replace(/_/g, ' ')
              .toLowerCase()
              .replace(/^\w/, (c) => c.toUpperCase()) ?? 'Error',
          status,
          detail: String(message),
        };
      }
      return {
        type: 'about:blank',
        title: 'Internal Server Error',
        status: HttpStatus.INTERNAL_SERVER_ERROR,
      };
    }
    const status = exception.getStatus();
    const body = exception.getResponse() as
      string | { message?: unknown; error?: string; errors?: ProblemDetails['errors'] };
    const title =
      typeof body === 'object' && body.error
        ? body.error
        : (HttpStatus[status]
            ?.replace(/_/g, ' ')
            .toLowerCase()
            .replace(/^\w/, (c) => c.toUpperCase()) ?? 'Error');
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
}
