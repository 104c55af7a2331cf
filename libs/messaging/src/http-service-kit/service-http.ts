import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Socket } from 'node:net';
import { ProblemDetailsFilter } from './problem-details.filter';
import { troupeValidationPipe } from './validation.pipe';

/** The largest request body a Troupe service reads (JSON); larger ones get 413. 100 KiB. */
export const HTTP_BODY_LIMIT_BYTES = 100 * 1024;

export interface ServiceHttpOptions {
  /** Default {@link HTTP_BODY_LIMIT_BYTES}. */
  bodyLimitBytes?: number;
  /** Called with errors that became a 500. */
  log?: (error: unknown) => void;
}

/**
 * The HTTP rules every Troupe service follows (runService applies them; a test that boots an
 * app module applies them the same way). The app must be created with `{ bodyParser: false }`:
 * - JSON bodies up to `bodyLimitBytes`; larger: 413, unreadable: 400, as problem details;
 * - every input validated by TroupeValidationPipe (strings, shapes, DTOs);
 * - every error as problem+json (ProblemDetailsFilter), 503s with Retry-After;
 * - a request Node's HTTP parser refuses (a NUL or other bad byte in a header, headers too
 *   large) gets a problem+json 400 / 431 too, instead of Node's bare "400 Bad Request".
 */
export function configureServiceHttp(
  app: INestApplication,
  options: ServiceHttpOptions = {},
): void {
  const limit = options.bodyLimitBytes ?? HTTP_BODY_LIMIT_BYTES;
  (app as NestExpressApplication).useBodyParser('json', {
    limit,
    type: ['application/json', 'application/*+json'],
  });
  app.useGlobalPipes(troupeValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(options.log));
  app.getHttpServer().on('clientError', answerUnparsable);
}

function answerUnparsable(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, title] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : [400, 'Bad Request'];
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    detail: `the request is not valid HTTP: ${error.message.replace(/^Parse Error: /, '')} (${error.code ?? 'unknown'})`,
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
