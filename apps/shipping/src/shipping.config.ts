import { DataServiceEnv } from '@troupe/messaging';

/** Settings of the shipping service (environment variables of the same names). */
export class ShippingConfig extends DataServiceEnv {
  override PORT = 3004;

  override DATABASE_URL = 'postgres://shipping:shipping@127.0.0.1:5432/troupe';

  override DATABASE_SCHEMA = 'shipping';

  override CONSUMER_GROUP = 'shipping';
}
