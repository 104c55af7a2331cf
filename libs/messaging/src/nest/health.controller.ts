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

/**
 * Liveness: the process answers. Readiness: the database answers and every consumer of the
 * service is a member of its group right now (not merely connected).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly runtime: TroupeRuntime,
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
    const checks: HealthIndicatorFunction[] = [
      async () => {
        const session = this.indicators.check('consumers');
        const groups = this.runtime.consumerGroups();
        return this.runtime.isReady()
          ? session.up({ groups })
          : session.down({ groups, message: 'not every consumer is in its group' });
      },
      ...(this.extra ?? []).map((check) => async () => {
        const session = this.indicators.check(check.name);
        return check.isReady()
          ? session.up()
          : session.down({ message: `${check.name} is not ready` });
      }),
    ];
    if (this.dataSource && this.db) {
      const dataSource = this.dataSource;
      checks.unshift(() =>
        this.db!.pingCheck('database', { connection: dataSource, timeout: 2000 }),
      );
    }
    return this.health.check(checks);
  }
}
