import { ServiceDataSourceOptions, serviceDatabaseOptions } from '@troupe/messaging';
import { InventoryConfig } from '../inventory.config';
import { InventoryTables1733100000000 } from './inventory-tables.migration';
import { Reservation } from './reservation.entity';
import { StockItem } from './stock-item.entity';

/** The inventory DataSource: its role, its schema, its tables (migrated at start-up). */
export function inventoryDatabaseOptions(
  config: Pick<InventoryConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'> &
    Partial<Pick<InventoryConfig, 'DATABASE_POOL_SIZE'>>,
): ServiceDataSourceOptions {
  return serviceDatabaseOptions({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [StockItem, Reservation],
    migrations: [InventoryTables1733100000000],
  });
}
