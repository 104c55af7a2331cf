import { ServiceDataSourceOptions, serviceDatabaseOptions } from '@troupe/messaging';
import { OrdersConfig } from '../orders.config';
import { Order } from './order.entity';
import { OrdersListing1734000000000 } from './orders-listing.migration';
import { OrdersTables1733100000000 } from './orders-tables.migration';

/** The orders DataSource: its role, its schema, its tables (migrated at start-up). */
export function ordersDatabaseOptions(
  config: Pick<OrdersConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'> &
    Partial<Pick<OrdersConfig, 'DATABASE_POOL_SIZE'>>,
): ServiceDataSourceOptions {
  return serviceDatabaseOptions({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [Order],
    migrations: [OrdersTables1733100000000, OrdersListing1734000000000],
  });
}
