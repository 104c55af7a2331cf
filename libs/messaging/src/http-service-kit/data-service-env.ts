import { IsInt, Matches, Max, Min } from 'class-validator';
import { PlatformEnv } from './platform-env';

/**
 * Settings of a service that owns tables: its schema, its pool and its consumer group. A
 * service's settings class extends this and overrides the defaults (its own name).
 */
export class DataServiceEnv extends PlatformEnv {
  /** The schema of the service's tables (its role owns it). */
  @Matches(/^[a-z_][a-z0-9_]*$/, { message: 'must be a lower-case SQL identifier' })
  DATABASE_SCHEMA = 'public';

  /** Connections of the service's pool (handlers, HTTP, relay). */
  @IsInt()
  @Min(2)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  /**
   * The consumer group of the handlers, also the service's name in Troupe (ce_source of its
   * events); a sandboxed copy (tests) runs under another name.
   */
  @Matches(/^[a-zA-Z0-9._-]+$/, {
    message: 'must be a group name of letters, digits, ".", "_" or "-"',
  })
  CONSUMER_GROUP = 'service';
}
