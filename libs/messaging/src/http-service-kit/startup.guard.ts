import { CanActivate, ExecutionContext, ServiceUnavailableException } from '@nestjs/common';
import { MetricsController } from '@troupe/observability';
import { HealthController } from '@troupe/observability';
import { TroupeExplorer } from '../nest/troupe.explorer';

/**
 * Until start-up is done, every route but /health and /metrics answers 503 (with Retry-After,
 * from ProblemDetailsFilter) naming what start-up waits for, instead of failing inside a
 * handler on a database that is not connected yet.
 */
export class StartupGuard implements CanActivate {
  constructor(private readonly explorer: TroupeExplorer) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.explorer.phase === 'started') return true;
    const controller = context.getClass();
    if (controller === HealthController || controller === MetricsController) return true;
    const waiting = this.explorer.waitingFor();
    throw new ServiceUnavailableException(
      waiting
        ? `starting: waiting for ${waiting.name} at ${waiting.address} (${waiting.lastError})`
        : 'starting',
    );
  }
}
