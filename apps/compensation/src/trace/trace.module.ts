import { Module } from '@nestjs/common';
import { TroupeRuntime, clusterAdminOf } from '@troupe/messaging';
import { ServiceAdminClient } from '../services/service-admin.client';
import { ServicesModule } from '../services/services.module';
import { DeadLetterScan } from './dead-letter.scan';
import { FlowTracer } from './flow-tracer';
import { TraceController } from './trace.controller';

/** How long reading the dead-letter topics of one trace may take, ms. */
const DEAD_LETTER_SCAN_TIMEOUT_MS = 20_000;

/** GET /trace/:correlationId over every service's admin endpoints and the groups' dead-letter topics. */
@Module({
  imports: [ServicesModule],
  controllers: [TraceController],
  providers: [
    {
      provide: FlowTracer,
      inject: [ServiceAdminClient, TroupeRuntime],
      useFactory: (services: ServiceAdminClient, runtime: TroupeRuntime) =>
        new FlowTracer(
          services,
          new DeadLetterScan(
            runtime.transport,
            clusterAdminOf(runtime.transport, { clientId: 'troupe-trace' }),
            DEAD_LETTER_SCAN_TIMEOUT_MS,
          ),
        ),
    },
  ],
})
export class TraceModule {}
