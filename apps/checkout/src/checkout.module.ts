import { Global, Module } from '@nestjs/common';
import { TroupeModule, loadConfig } from '@troupe/messaging';
import { CheckoutController } from './api/checkout.controller';
import { CheckoutConfig } from './checkout.config';
import { checkoutTopology } from './checkout.topology';
import { BasicServices } from './clients/basic-services.client';
import { CheckoutService } from './domain/checkout.service';

/** The validated settings, injectable (main.ts has validated them once already). */
@Global()
@Module({
  providers: [{ provide: CheckoutConfig, useFactory: () => loadConfig(CheckoutConfig) }],
  exports: [CheckoutConfig],
})
class CheckoutConfigModule {}

/**
 * Checkout: an aggregate façade over the basic services' HTTP APIs. It owns no tables and
 * handles no events; TroupeModule is here for /health and /metrics only (no DataSource, so no
 * relay and no inbox).
 */
@Module({
  imports: [
    CheckoutConfigModule,
    TroupeModule.forRootAsync({
      inject: [CheckoutConfig],
      useFactory: (config: CheckoutConfig) =>
        config.troupeOptions(checkoutTopology.service, {
          relay: false,
          topics: { create: false },
        }),
    }),
  ],
  controllers: [CheckoutController],
  providers: [BasicServices, CheckoutService],
})
export class CheckoutModule {}
