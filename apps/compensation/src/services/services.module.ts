import { Module } from '@nestjs/common';
import { ADMIN_TOKEN } from '@troupe/messaging';
import { CompensationConfig } from '../compensation.config';
import { ServiceAdminClient } from './service-admin.client';

/**
 * The client of every service's admin endpoints (SERVICE_ADMIN_URLS, ADMIN_TOKEN), and the token
 * the compensation API's own AdminTokenGuard checks (the same ADMIN_TOKEN). Needs {@link CompensationConfig}.
 */
@Module({
  providers: [
    {
      provide: ADMIN_TOKEN,
      inject: [CompensationConfig],
      useFactory: (config: CompensationConfig) => ({ token: config.ADMIN_TOKEN }),
    },
    {
      provide: ServiceAdminClient,
      inject: [CompensationConfig],
      useFactory: (config: CompensationConfig) =>
        new ServiceAdminClient({
          services: config.serviceAdminUrls(),
          token: config.SERVICE_ADMIN_TOKEN ?? config.ADMIN_TOKEN,
          timeoutMs: config.SERVICE_ADMIN_TIMEOUT_MS,
        }),
    },
  ],
  exports: [ServiceAdminClient, ADMIN_TOKEN],
})
export class ServicesModule {}
