import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TroupeModule } from '@troupe/messaging';
import { jsonLogger } from '@troupe/observability';
import { ReservationsController } from './api/reservations.controller';
import { StockController } from './api/stock.controller';
import { InventoryConfig } from './inventory.config';
import { inventoryTopology } from './inventory.topology';
import { inventoryDatabaseOptions } from './persistence/inventory-database.options';
import { Reservation } from './persistence/reservation.entity';
import { StockItem } from './persistence/stock-item.entity';
import { StockLedger } from './persistence/stock.ledger';

/** Inventory: stock per SKU; reserves all of a placed order's lines or none, releases them on cancel. */
@Module({})
export class InventoryModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    const service = config.CONSUMER_GROUP;
    return {
      module: InventoryModule,
      imports: [
        TypeOrmModule.forRootAsync({ useFactory: () => inventoryDatabaseOptions(config) }),
        TypeOrmModule.forFeature([StockItem, Reservation]),
        TroupeModule.forRoot(
          config.troupeOptions(service, {
            publishes: inventoryTopology.publishes,
            log: jsonLogger(service, config.LOG_LEVEL),
          }),
        ),
      ],
      controllers: [StockController, ReservationsController],
      providers: [
        { provide: InventoryConfig, useValue: config },
        StockLedger,
        ...inventoryTopology.handlers,
      ],
    };
  }
}
