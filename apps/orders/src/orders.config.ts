import { DataServiceEnv } from '@troupe/messaging';

/** Settings of the orders service (environment variables of the same names). */
export class OrdersConfig extends DataServiceEnv {
  override PORT = 3001;

  override DATABASE_URL = 'postgres://orders:orders@127.0.0.1:5432/troupe';

  override DATABASE_SCHEMA = 'orders';

  override CONSUMER_GROUP = 'orders';
}
