import { IsInt, IsNumber, Matches, Max, Min } from 'class-validator';
import { PlatformEnv } from '@troupe/messaging';

/** Settings of the payments service (environment variables of the same names). */
export class PaymentsConfig extends PlatformEnv {
  override PORT = 3002;

  override DATABASE_URL = 'postgres://payments:payments@127.0.0.1:5432/troupe';

  /** The schema of the service's tables (its role owns it). Default `payments`. */
  @Matches(/^[a-z_][a-z0-9_]*$/, { message: 'must be a lower-case SQL identifier' })
  DATABASE_SCHEMA = 'payments';

  /** Connections of the service's pool (handlers, HTTP, relay). Default 10. Typed explicitly: loadConfig converts by the reflected type. */
  @IsInt()
  @Min(2)
  @Max(100)
  DATABASE_POOL_SIZE: number = 10;

  /**
   * The consumer group of the handlers, also the service's name in Troupe (ce_source of its
   * events). Default `payments`; a sandboxed copy (tests) runs under another name.
   */
  @Matches(/^[a-zA-Z0-9._-]+$/, {
    message: 'must be a group name of letters, digits, ".", "_" or "-"',
  })
  CONSUMER_GROUP = 'payments';

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
