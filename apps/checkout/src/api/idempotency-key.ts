import { BadRequestException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** The request and response header (Express reads and writes header names in lower case). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * The key POST /checkout places an order with: the client's own, else a fresh one. Either way it
 * is forwarded to the orders service and returned in the response's Idempotency-Key header, so a
 * client that got no answer, a 503 or a 504 can repeat the request without placing the order
 * twice. The orders service's rule (1 to 255 characters) is checked here, naming the header.
 */
export function idempotencyKeyOf(header: string | undefined): string {
  if (header === undefined) return randomUUID();
  if (header.length === 0 || header.length > 255 || /[^\x21-\x7e]/.test(header))
    throw new BadRequestException({
      error: 'Bad Request',
      errors: [
        {
          field: 'Idempotency-Key',
          problems: ['must be 1 to 255 visible ASCII characters'],
        },
      ],
    });
  return header;
}
