import { DataServiceEnv } from '@troupe/messaging';

/** Settings of the inventory service (environment variables of the same names). */
export class InventoryConfig extends DataServiceEnv {
  override PORT = 3003;

  override DATABASE_URL = 'postgres://inventory:inventory@127.0.0.1:5432/troupe';

  override DATABASE_SCHEMA = 'inventory';

  override CONSUMER_GROUP = 'inventory';
}
