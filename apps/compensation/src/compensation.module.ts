import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule, serviceDatabaseOptions } from '@troupe/messaging';
import { jsonLogger } from '@troupe/observability';
import { CompensationConfig } from './compensation.config';
import { LagModule } from './lag/lag.module';
import { OutboxModule } from './outbox/outbox.module';
import { TraceModule } from './trace/trace.module';
import { CompensationGaps1735100000000 } from './persistence/compensation-gaps.migration';
import { CompensationTables1735000000000 } from './persistence/compensation-tables.migration';
import { GapsModule } from './gaps/gaps.module';
import { ReplayModule } from './replay/replay.module';

/**
 * Compensation: the platform app that watches and repairs the choreography as a whole: the
 * cluster's lag exporter (lag/); traces of one flow across the services (trace/) and every
 * service's outbox (outbox/), over the services' admin endpoints (services/); replay to one
 * group and dead-letter redrive (replay/, jobs kept in its own schema), gap detection (gaps/)
 * and the audit (audit/), behind its token-guarded API (api/). It publishes and consumes
 * nothing, so it runs no relay; it writes the groups' replay topics directly.
 */
@Module({})
export class CompensationModule {
  static forRoot(config: CompensationConfig): DynamicModule {
    const service = config.CONSUMER_GROUP;
    return {
      module: CompensationModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () =>
            serviceDatabaseOptions({
              url: config.DATABASE_URL,
              schema: config.DATABASE_SCHEMA,
              poolSize: config.DATABASE_POOL_SIZE,
              entities: [],
              migrations: [CompensationTables1735000000000, CompensationGaps1735100000000],
            }),
        }),
        TroupeModule.forRoot(
          config.troupeOptions(service, {
            relay: false,
            log: jsonLogger(service, config.LOG_LEVEL),
          }),
        ),
        LagModule,
        TraceModule,
        OutboxModule,
        ReplayModule,
        GapsModule,
      ],
      providers: [{ provide: CompensationConfig, useValue: config }],
      exports: [CompensationConfig],
    };
  }
}
