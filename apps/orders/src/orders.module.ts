import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule } from '@troupe/messaging';
import { jsonLogger } from '@troupe/observability';
import { OrderPlacementService } from './api/order-placement.service';
import { OrdersController } from './api/orders.controller';
import { OrdersConfig } from './orders.config';
import { ordersTopology } from './orders.topology';
import { Order } from './persistence/order.entity';
import { ordersDatabaseOptions } from './persistence/orders-database.options';

/**
 * Orders: takes orders over HTTP (OrderPlaced in the same transaction), and settles each one
 * from what payments, inventory and shipping report (OrderCancelled / OrderConfirmed).
 */
@Module({})
export class OrdersModule {
  static forRoot(config: OrdersConfig): DynamicModule {
    const service = config.CONSUMER_GROUP;
    return {
      module: OrdersModule,
      imports: [
        TypeOrmModule.forRootAsync({ useFactory: () => ordersDatabaseOptions(config) }),
        TypeOrmModule.forFeature([Order]),
        TroupeModule.forRoot(
          config.troupeOptions(service, {
            publishes: ordersTopology.publishes,
            log: jsonLogger(service, config.LOG_LEVEL),
          }),
        ),
      ],
      controllers: [OrdersController],
      providers: [
        { provide: OrdersConfig, useValue: config },
        OrderPlacementService,
        ...ordersTopology.handlers,
      ],
    };
  }
}
