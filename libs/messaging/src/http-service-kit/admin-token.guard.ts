import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

/** Where a service provides its admin token for {@link AdminTokenGuard} (PlatformEnv.ADMIN_TOKEN). */
export const ADMIN_TOKEN = Symbol('troupe:admin-token');

/**
 * Guards a service's admin routes: `@UseGuards(AdminTokenGuard)` on the controller, and
 * `adminTokenProvider(config.ADMIN_TOKEN)` among the providers of its module.
 *
 * Contract: the request must carry `Authorization: Bearer <token>`; a missing or wrong token is
 * refused with 401 (problem+json through the service's exception filter, `WWW-Authenticate:
 * Bearer`). With no token configured every admin request is refused with 403: an admin surface
 * is never open by default. The comparison takes the same time whatever the guess (both sides
 * are hashed to a fixed length, then compared with timingSafeEqual), and the token is never put
 * into a message or a log.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Optional() @Inject(ADMIN_TOKEN) settings?: { token?: string }) {
    this.expected = settings?.token ? digest(settings.token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    if (!this.expected)
      throw new ForbiddenException('the admin API is disabled: ADMIN_TOKEN is not set');
    const header = http.getRequest<Request>().headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (match && timingSafeEqual(digest(match[1]), this.expected)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="troupe-admin"');
    throw new UnauthorizedException(
      match
        ? 'the admin token is not valid'
        : 'an admin token is required: Authorization: Bearer <ADMIN_TOKEN>',
    );
  }
}

/** Provides the token AdminTokenGuard checks; put it among the providers of the admin controllers' module. */
export function adminTokenProvider(token: string | undefined) {
  return { provide: ADMIN_TOKEN, useValue: { token } };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
