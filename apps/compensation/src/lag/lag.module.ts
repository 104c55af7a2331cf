import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { TroupeRuntime, clusterAdminOf } from '@troupe/messaging';
import { CompensationConfig } from '../compensation.config';
import { LagExporter } from './lag-exporter';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = require('../../../../package.json').version;

/** Starts the exporter once the application is up and stops it before the transport closes. */
@Injectable()
class LagExporterLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(LagExporter) private readonly exporter: LagExporter,
    private readonly runtime: TroupeRuntime,
  ) {}

  /** After TroupeModule's start-up, which may still be waiting for Kafka. */
  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.afterStart(() => this.exporter.start());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.exporter.stop();
  }
}

/**
 * The cluster's lag exporter, on the app's transport (its cluster admin) and its /metrics
 * registry. Needs TroupeModule and {@link CompensationConfig} in the application.
 */
@Module({
  providers: [
    {
      provide: LagExporter,
      inject: [TroupeRuntime, CompensationConfig],
      useFactory: (runtime: TroupeRuntime, config: CompensationConfig) =>
        new LagExporter(
          clusterAdminOf(runtime.transport, { clientId: 'troupe-lag-exporter' }),
          runtime.metrics.registry,
          config.lagExporterOptions(),
          {
            version: VERSION,
            topicPrefix: config.TOPIC_PREFIX,
            log: runtime.options.log,
          },
        ),
    },
    LagExporterLifecycle,
  ],
  exports: [LagExporter],
})
export class LagModule {}
