import { DynamicModule, InjectionToken, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, MetricsController, PLATFORM_READINESS, TroupeMetrics } from '@troupe/observability';
import { collectDefaultMetrics } from 'prom-client';
import { OutboxWriter } from '@troupe/outbox';
import { AvroCodec } from '@troupe/schemas';
import { DataSource } from 'typeorm';
import { OutboxAdminController } from '../admin/outbox-admin.controller';
import { TraceAdminController } from '../admin/trace-admin.controller';
import { InboxAdminController } from '../admin/inbox-admin.controller';
import { ADMIN_TOKEN } from '../http-service-kit/admin-token.guard';
import { TroupeOptions } from '../troupe.options';
import { TroupeRuntime } from '../troupe.runtime';
import { platformReadiness } from './platform-readiness';
import { TroupeExplorer } from './troupe.explorer';

export const TROUPE_OPTIONS = Symbol('troupe:options');

export interface TroupeModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => TroupeOptions | Promise<TroupeOptions>;
  /**
   * Serve GET /metrics, /health/live, /health/ready and the admin endpoints under /troupe/admin
   * (token-guarded: TroupeOptions.adminToken). Default true.
   */
  endpoints?: boolean;
}

/**
 * Troupe for one NestJS service. Global, so any provider can inject {@link OutboxWriter},
 * {@link TroupeRuntime} and {@link TroupeMetrics}. Uses the application's default TypeORM
 * DataSource (TypeOrmModule.forRoot) for the outbox and the inbox.
 */
@Module({})
export class TroupeModule {
  static forRoot(options: TroupeOptions & { endpoints?: boolean }): DynamicModule {
    const { endpoints, ...troupe } = options;
    return TroupeModule.forRootAsync({ useFactory: () => troupe, endpoints });
  }

  static forRootAsync(options: TroupeModuleAsyncOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: TROUPE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
      {
        provide: TroupeRuntime,
        inject: [TROUPE_OPTIONS, { token: DataSource, optional: true }],
        useFactory: (troupeOptions: TroupeOptions, dataSource?: DataSource) => {
          const runtime = new TroupeRuntime(troupeOptions, dataSource);
          // Every series names its service, whatever the scrape configuration calls the job.
          runtime.metrics.registry.setDefaultLabels({ service: runtime.options.service });
          // The event-loop delay is sampled every 100 ms rather than prom-client's 10 ms: 90 fewer
          // wake-ups a second of an idle service (about 0.6% of a core here); sustained lag shows the same.
          collectDefaultMetrics({ register: runtime.metrics.registry, eventLoopMonitoringPrecision: 100 });
          return runtime;
        },
      },
      {
        provide: OutboxWriter,
        inject: [TroupeRuntime],
        useFactory: (runtime: TroupeRuntime) => runtime.writer,
      },
      {
        provide: TroupeMetrics,
        inject: [TroupeRuntime],
        useFactory: (runtime: TroupeRuntime) => runtime.metrics,
      },
      {
        provide: AvroCodec,
        inject: [TroupeRuntime],
        useFactory: (runtime: TroupeRuntime) => runtime.codec,
      },
      TroupeExplorer,
      // The admin endpoints' guard reads the token here (not exported: an app's own admin routes keep their own provider).
      { provide: ADMIN_TOKEN, inject: [TROUPE_OPTIONS], useFactory: (o: TroupeOptions) => ({ token: o.adminToken }) },
      { provide: PLATFORM_READINESS, inject: [TroupeRuntime, TroupeExplorer], useFactory: platformReadiness },
    ];
    const endpoints = options.endpoints !== false;
    return {
      module: TroupeModule,
      global: true,
      imports: [
        DiscoveryModule,
        ...(endpoints ? [TerminusModule] : []),
        ...(options.imports ?? []),
      ],
      controllers: endpoints
        ? [
            MetricsController,
            HealthController,
            OutboxAdminController,
            TraceAdminController,
            InboxAdminController,
          ]
        : [],
      providers,
      exports: [TroupeRuntime, OutboxWriter, TroupeMetrics, AvroCodec],
    };
  }
}
