import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { DataServiceEnv } from '@troupe/messaging';

/** Settings of the payments service (environment variables of the same names). */
export class PaymentsConfig extends DataServiceEnv {
  override PORT = 3002;

  override DATABASE_URL = 'postgres://payments:payments@127.0.0.1:5432/troupe';

  override DATABASE_SCHEMA = 'payments';

  override CONSUMER_GROUP = 'payments';

  /** The simulated bank declines every amount above this. Default 100000 (1,000.00). */
  @IsInt()
  @Min(0)
  PAYMENT_DECLINE_ABOVE_CENTS: number = 100_000;

  /** Share of the other authorizations the simulated bank declines at random, 0..1. Default 0. */
  @IsNumber()
  @Min(0)
  @Max(1)
  PAYMENT_FAILURE_RATE: number = 0;
}
