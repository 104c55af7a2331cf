import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { TroupeRuntime } from '../troupe.runtime';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';
import { TroupeExplorer } from './troupe.explorer';

/**
 * Liveness: the process answers, also while start-up still waits for a dependency (a liveness
 * probe must not kill a service that waits for PostgreSQL; it would only start waiting again).
 * Readiness: start-up is done (else: what it waits for, where, since when and why), the
 * database answers, and every consumer of the service is a member of its group right now.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly runtime: TroupeRuntime,
    private readonly explorer: TroupeExplorer,
    @Optional() private readonly db?: TypeOrmHealthIndicator,
    @Optional() private readonly dataSource?: DataSource,
    /** Further parts of the service that must be ready (e.g. a task worker in its group). */
    @Optional() @Inject(READINESS_CHECKS) private readonly extra: ReadinessCheck[] = [],
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [
      async () => {
        const session = this.indicators.check('startup');
        if (this.explorer.phase === 'started') return session.up();
        const waiting = this.runtime.startup.waitingFor;
        if (this.explorer.phase === 'failed')
          return session.down({
            message: `start-up failed: ${(this.explorer.failure as Error)?.message}`,
          });
        if (!waiting) return session.down({ message: 'starting' });
        return session.down({
          message: `waiting for ${waiting.name} at ${waiting.address}`,
          since: waiting.since.toISOString(),
          attempts: waiting.attempts,
          lastError: waiting.lastError,
        });
      },
      async () => {
        const session = this.indicators.check('consumers');
        const groups = this.runtime.consumerGroups();
        return this.runtime.isReady()
          ? session.up({ groups })
          : session.down({ groups, message: 'not every consumer is in its group' });
      },
      ...(this.extra ?? []).map((check) => async () => {
        const session = this.indicators.check(check.name);
        return check.isReady() ? session.up() : session.down({ message: `${check.name} is not ready` });
      }),
    ];
    if (this.dataSource && this.db) {
      const dataSource = this.dataSource;
      checks.unshift(async () =>
        dataSource.isInitialized
          ? this.db!.pingCheck('database', { connection: dataSource, timeout: 2000 })
          : this.indicators.check('database').down({ message: 'not connected yet' }),
      );
    }
    return this.health.check(checks);
  }
}
