import { ServiceDataSourceOptions, serviceDatabaseOptions } from '@troupe/messaging';
import { ShippingConfig } from '../shipping.config';
import { Shipment } from './shipment.entity';
import { ShippingTables1733100000000 } from './shipping-tables.migration';

/** The shipping DataSource: its role, its schema, its tables (migrated at start-up). */
export function shippingDatabaseOptions(
  config: Pick<ShippingConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'> &
    Partial<Pick<ShippingConfig, 'DATABASE_POOL_SIZE'>>,
): ServiceDataSourceOptions {
  return serviceDatabaseOptions({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [Shipment],
    migrations: [ShippingTables1733100000000],
  });
}
