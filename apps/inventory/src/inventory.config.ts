import { IsInt, Matches, Max, Min } from 'class-validator';
import { PlatformEnv } from '@troupe/messaging';

/** Settings of the inventory service (environment variables of the same names). */
export class InventoryConfig extends PlatformEnv {
  override PORT = 3003;

  override DATABASE_URL = 'postgres://inventory:inventory@127.0.0.1:5432/troupe';

  /** The schema of the service's tables (its role owns it). Default `inventory`. */
  @Matches(/^[a-z_][a-z0-9_]*$/, { message: 'must be a lower-case SQL identifier' })
  DATABASE_SCHEMA = 'inventory';

  /** Connections of the service's pool (handlers, HTTP, relay). Default 10. Typed explicitly: loadConfig converts by the reflected type. */
  @IsInt()
  @Min(2)
  @Max(100)
  DATABASE_POOL_SIZE: number = 10;

  /**
   * The consumer group of the handlers, also the service's name in Troupe (ce_source of its
   * events). Default `inventory`; a sandboxed copy (tests) runs under another name.
   */
  @Matches(/^[a-zA-Z0-9._-]+$/, {
    message: 'must be a group name of letters, digits, ".", "_" or "-"',
  })
  CONSUMER_GROUP = 'inventory';
}
