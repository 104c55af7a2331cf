import { Module } from '@nestjs/common';
import { ServiceAdminClient } from '../services/service-admin.client';
import { ServicesModule } from '../services/services.module';
import { OutboxController } from './outbox.controller';
import { OutboxOverview } from './outbox-overview';

/** GET /outbox and POST /outbox/:service/release over every service's admin endpoints. */
@Module({
  imports: [ServicesModule],
  controllers: [OutboxController],
  providers: [
    {
      provide: OutboxOverview,
      inject: [ServiceAdminClient],
      useFactory: (s: ServiceAdminClient) => new OutboxOverview(s),
    },
  ],
})
export class OutboxModule {}
