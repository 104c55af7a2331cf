import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule, serviceDatabaseOptions } from '@troupe/messaging';
import { jsonLogger } from '@troupe/observability';
import { CompensationConfig } from './compensation.config';
import { LagModule } from './lag/lag.module';
import { OutboxModule } from './outbox/outbox.module';
import { TraceModule } from './trace/trace.module';

/**
 * Compensation: the platform app that watches and repairs the choreography as a whole: the
 * cluster's lag exporter (lag/), traces of one flow across the services (trace/) and every
 * service's outbox (outbox/), both over the services' admin endpoints (services/); replay,
 * redrive and gap detection sit beside them, each in a folder of its own. It publishes and
 * consumes nothing, so it runs no relay.
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
      ],
      providers: [{ provide: CompensationConfig, useValue: config }],
      exports: [CompensationConfig],
    };
  }
}
