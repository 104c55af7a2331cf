import { DynamicModule, InjectionToken, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TroupeMetrics } from '@troupe/observability';
import { OutboxWriter } from '@troupe/outbox';
import { AvroCodec } from '@troupe/schemas';
import { DataSource } from 'typeorm';
import { TroupeOptions } from '../troupe.options';
import { TroupeRuntime } from '../troupe.runtime';
import { TroupeExplorer } from './troupe.explorer';

export const TROUPE_OPTIONS = Symbol('troupe:options');

export interface TroupeModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => TroupeOptions | Promise<TroupeOptions>;
}

/**
 * Troupe for one NestJS service. Global, so any provider can inject {@link OutboxWriter},
 * {@link TroupeRuntime} and {@link TroupeMetrics}. Uses the application's default TypeORM
 * DataSource (TypeOrmModule.forRoot) for the outbox and the inbox.
 */
@Module({})
export class TroupeModule {
  static forRoot(options: TroupeOptions): DynamicModule {
    return TroupeModule.forRootAsync({ useFactory: () => options });
  }

  static forRootAsync(options: TroupeModuleAsyncOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: TROUPE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
      {
        provide: TroupeRuntime,
        inject: [TROUPE_OPTIONS, { token: DataSource, optional: true }],
        useFactory: (troupeOptions: TroupeOptions, dataSource?: DataSource) => new TroupeRuntime(troupeOptions, dataSource),
      },
      { provide: OutboxWriter, inject: [TroupeRuntime], useFactory: (runtime: TroupeRuntime) => runtime.writer },
      { provide: TroupeMetrics, inject: [TroupeRuntime], useFactory: (runtime: TroupeRuntime) => runtime.metrics },
      { provide: AvroCodec, inject: [TroupeRuntime], useFactory: (runtime: TroupeRuntime) => runtime.codec },
      TroupeExplorer,
    ];
    return {
      module: TroupeModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers,
      exports: [TroupeRuntime, OutboxWriter, TroupeMetrics, AvroCodec],
    };
  }
}

