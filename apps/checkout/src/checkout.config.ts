import { IsInt, IsUrl, Max, Min, ValidateIf } from 'class-validator';
import { PlatformEnv } from '@troupe/messaging';

const SERVICE_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** Settings of the checkout façade (environment variables of the same names). */
export class CheckoutConfig extends PlatformEnv {
  override PORT = 3000;

  /** Checkout owns no tables: PlatformEnv's DATABASE_URL is not read, so it is not required. */
  @ValidateIf(() => false)
  override DATABASE_URL = '';

  /** Base URL of the orders service. */
  @IsUrl(SERVICE_URL)
  ORDERS_URL = 'http://127.0.0.1:3001';

  @IsUrl(SERVICE_URL)
  PAYMENTS_URL = 'http://127.0.0.1:3002';

  @IsUrl(SERVICE_URL)
  INVENTORY_URL = 'http://127.0.0.1:3003';

  @IsUrl(SERVICE_URL)
  SHIPPING_URL = 'http://127.0.0.1:3004';

  /** Only for links in responses (the order's live feed). */
  @IsUrl(SERVICE_URL)
  NOTIFICATIONS_URL = 'http://127.0.0.1:3005';

  /** How long one call to a basic service may take. Default 3000 ms. */
  @IsInt()
  @Min(50)
  @Max(60_000)
  UPSTREAM_TIMEOUT_MS: number = 3000;
}
