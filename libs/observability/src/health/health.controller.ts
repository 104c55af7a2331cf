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
import { PLATFORM_READINESS, READINESS_CHECKS, ReadinessCheck } from './readiness-check';

/**
 * Liveness: the process answers, also while start-up still waits for a dependency (a liveness
 * probe must not kill a service that waits for PostgreSQL; it would only start waiting again),
 * and never depends on Kafka, the database or the registry. Readiness: the database answers
 * and every {@link ReadinessCheck} is ready (start-up done, every consumer a member of its group
 * and not stuck, whatever the service adds).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(PLATFORM_READINESS) private readonly platform: ReadinessCheck[] = [],
    @Optional() private readonly db?: TypeOrmHealthIndicator,
    @Optional() private readonly dataSource?: DataSource,
    @Optional() @Inject(READINESS_CHECKS) private readonly extra: ReadinessCheck[] = [],
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [...(this.platform ?? []), ...(this.extra ?? [])].map(
      (check) => async () => {
        const session = this.indicators.check(check.name);
        const details = check.details?.() ?? {};
        return check.isReady()
          ? session.up(details)
          : session.down({ message: `${check.name} is not ready`, ...details });
      },
    );
    const { dataSource, db } = this;
    if (dataSource && db) {
      checks.unshift(async () =>
        dataSource.isInitialized
          ? db.pingCheck('database', { connection: dataSource, timeout: 2000 })
          : this.indicators.check('database').down({ message: 'not connected yet' }),
      );
    }
    return this.health.check(checks);
  }
}
