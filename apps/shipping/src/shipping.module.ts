import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule } from '@troupe/messaging';
import { jsonLogger } from '@troupe/observability';
import { ShipmentsController } from './api/shipments.controller';
import { Shipment } from './persistence/shipment.entity';
import { shippingDatabaseOptions } from './persistence/shipping-database.options';
import { ShippingConfig } from './shipping.config';
import { shippingTopology } from './shipping.topology';

/** Shipping: schedules one shipment per order once its payment is authorized and its stock reserved. */
@Module({})
export class ShippingModule {
  static forRoot(config: ShippingConfig): DynamicModule {
    const service = config.CONSUMER_GROUP;
    return {
      module: ShippingModule,
      imports: [
        TypeOrmModule.forRootAsync({ useFactory: () => shippingDatabaseOptions(config) }),
        TypeOrmModule.forFeature([Shipment]),
        TroupeModule.forRoot(
          config.troupeOptions(service, {
            publishes: shippingTopology.publishes,
            log: jsonLogger(service, config.LOG_LEVEL),
          }),
        ),
      ],
      controllers: [ShipmentsController],
      providers: [{ provide: ShippingConfig, useValue: config }, ...shippingTopology.handlers],
    };
  }
}
