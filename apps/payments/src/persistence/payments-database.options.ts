import { ServiceDataSourceOptions, serviceDatabaseOptions } from '@troupe/messaging';
import { PaymentsConfig } from '../payments.config';
import { Payment } from './payment.entity';
import { PaymentsListing1734000000000 } from './payments-listing.migration';
import { PaymentsTables1733100000000 } from './payments-tables.migration';

/** The payments DataSource: its role, its schema, its tables (migrated at start-up). */
export function paymentsDatabaseOptions(
  config: Pick<PaymentsConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'> &
    Partial<Pick<PaymentsConfig, 'DATABASE_POOL_SIZE'>>,
): ServiceDataSourceOptions {
  return serviceDatabaseOptions({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [Payment],
    migrations: [PaymentsTables1733100000000, PaymentsListing1734000000000],
  });
}
