import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule } from '@troupe/messaging';
import { jsonLogger } from '@troupe/observability';
import { OrderCancellationController } from './api/order-cancellation.controller';
import { OrderCancellationService } from './api/order-cancellation.service';
import { OrderPlacementService } from './api/order-placement.service';
import { OrderQueriesController } from './api/order-queries.controller';
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
      controllers: [OrdersController, OrderCancellationController, OrderQueriesController],
      providers: [
        { provide: OrdersConfig, useValue: config },
        OrderPlacementService,
        ...ordersTopology.handlers,
        OrderCancellationService,
      ],
    };
  }
}
