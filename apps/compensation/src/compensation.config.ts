import { DataServiceEnv } from '@troupe/messaging';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MinLength, Min, ValidateBy } from 'class-validator';
import { LagExporterOptions } from './lag/lag-exporter.options';

/** A setting that must compile as a regular expression. */
const IsPattern = () =>
  ValidateBy({
    name: 'isPattern',
    validator: {
      validate: (value: unknown) => {
        try {
          new RegExp(String(value));
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () => 'must be a valid regular expression',
    },
  });

/**
 * Settings of the compensation app (environment variables of the same names). It owns a schema
 * and a login like the data-owning services (replay audit tables will live there), and runs the
 * cluster's lag exporter.
 */
export class CompensationConfig extends DataServiceEnv {
  override PORT = 3008;

  override DATABASE_URL = 'postgres://compensation:compensation@127.0.0.1:5432/troupe';

  override DATABASE_SCHEMA = 'compensation';

  override CONSUMER_GROUP = 'compensation';

  override DATABASE_POOL_SIZE = 2;

  /** Time between polls of the cluster, ms (each costs at most one offset fetch per group). Default 5000. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  LAG_POLL_INTERVAL_MS: number = 5000;

  /** The cluster_name label of the Kafka Lag Exporter-style metrics. Default `troupe`. */
  @Matches(/^[a-zA-Z0-9._-]+$/, { message: 'must be letters, digits, ".", "_" or "-"' })
  LAG_CLUSTER_NAME = 'troupe';

  /**
   * Declared broadcast groups, comma-separated (e.g. `notifications-feed`): their replica groups
   * `<name>.<instance>` are deleted once their replica is gone. Default none.
   */
  @Matches(/^([a-zA-Z0-9._-]+(,[a-zA-Z0-9._-]+)*)?$/, {
    message: 'must be a comma-separated list of group names',
  })
  LAG_BROADCAST_GROUPS = '';

  /** How long a broadcast replica group may sit without members and without moving before it is deleted, ms. Default 600000. */
  @IsInt()
  @Min(1000)
  LAG_BROADCAST_GROUP_EXPIRY_MS: number = 600_000;

  /** Topics not reported (regular expression). Default `^__` (Kafka's internal topics). */
  @IsString()
  @IsPattern()
  LAG_TOPIC_EXCLUDE = '^__';

  /** Groups not reported (regular expression). Default: none. */
  @IsString()
  @IsPattern()
  LAG_GROUP_EXCLUDE = '(?!)';

  /** The window the group status (OK, WARN, STALL, STOP) is judged over, ms. Default 60000. */
  @IsInt()
  @Min(1000)
  LAG_STATUS_WINDOW_MS: number = 60_000;

  /**
   * Where each service of the system serves its Troupe admin endpoints (/troupe/admin/...):
   * comma-separated `<service>=<base URL>`, e.g. `orders=http://orders:3001,payments=http://payments:3002`.
   * Traces and the outbox view ask every one of them (with ADMIN_TOKEN). Default none.
   */
  @Matches(/^([a-z0-9][a-z0-9._-]*=https?:\/\/[^\s,=]+(,[a-z0-9][a-z0-9._-]*=https?:\/\/[^\s,=]+)*)?$/, {
    message: 'must be a comma-separated list of <service>=<http(s) base URL>',
  })
  SERVICE_ADMIN_URLS = '';

  /** How long one service may take to answer an admin request before it is reported as unreachable, ms. Default 5000. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  SERVICE_ADMIN_TIMEOUT_MS: number = 5000;

  /** The services and their admin base URLs (SERVICE_ADMIN_URLS), in the order given. */
  serviceAdminUrls(): ReadonlyMap<string, string> {
    return new Map(
      this.SERVICE_ADMIN_URLS.split(',')
        .filter(Boolean)
        .map((entry) => {
          const at = entry.indexOf('=');
          return [entry.slice(0, at), entry.slice(at + 1).replace(/\/+$/, '')] as const;
        }),
    );
  }

  /**
   * Consumer groups whose service is not in SERVICE_ADMIN_URLS, or that should be asked
   * elsewhere: `group=url` pairs, comma-separated, e.g. `payments=http://payments:3002`. Replay,
   * redrive and gaps are offered for these groups and for every 'once' group the services of
   * SERVICE_ADMIN_URLS declare (GET /troupe/admin/inbox/groups). Default none.
   */
  @Matches(/^([a-zA-Z0-9._-]+=https?:\/\/[^,=\s]+(,[a-zA-Z0-9._-]+=https?:\/\/[^,=\s]+)*)?$/, {
    message: 'must be comma-separated group=http(s)://host:port pairs',
  })
  GROUP_ADMIN_URLS = '';

  /** The token sent to the services' admin routes. Default: ADMIN_TOKEN (one platform token). */
  @IsOptional()
  @IsString()
  @MinLength(16)
  SERVICE_ADMIN_TOKEN?: string;

  /** Who ADMIN_TOKEN stands for in the audit table. Default `admin`. */
  @Matches(/^[a-zA-Z0-9._@-]{1,100}$/, { message: 'must be a name of letters, digits, ".", "_", "@" or "-"' })
  ADMIN_TOKEN_NAME = 'admin';

  /** Events a replay or redrive produces per batch (its cursor is saved after each). Default 100. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  REPLAY_BATCH_SIZE: number = 100;

  /** Events per second a replay produces when the request names no rate. Default 500. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  REPLAY_RATE_PER_SECOND: number = 500;

  /** An event redriven from a dead-letter topic more than this many times is quarantined instead. Default 3. */
  @IsInt()
  @Min(1)
  @Max(100)
  REDRIVE_LIMIT: number = 3;

  /** How often the gap detector looks for events a group has not applied, ms; 0: only when asked (GET /gaps). Default 0. */
  @IsInt()
  @Min(0)
  GAP_CHECK_INTERVAL_MS: number = 0;

  /** How far back the gap detector looks, ms. Default 3600000 (an hour). */
  @IsInt()
  @Min(1000)
  GAP_WINDOW_MS: number = 3_600_000;

  /** Events younger than this are not gaps yet (the group may still be on its way), ms. Default 300000. */
  @IsInt()
  @Min(0)
  GAP_GRACE_MS: number = 300_000;

  /** Replay the gaps found by the periodic check to their group (missed mode). Default false. */
  @IsBoolean()
  GAP_AUTO_REPLAY = false;

  /** Replays of one gap event before it is reported as given up (never retried after). Default 3. */
  @IsInt()
  @Min(1)
  @Max(100)
  GAP_REPLAY_MAX_ATTEMPTS: number = 3;

  /** The groups of GROUP_ADMIN_URLS and their services' base URLs. */
  groupAdminUrls(): Map<string, string> {
    return new Map(
      this.GROUP_ADMIN_URLS.split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, string]),
    );
  }

  lagExporterOptions(): LagExporterOptions {
    return {
      pollIntervalMs: this.LAG_POLL_INTERVAL_MS,
      clusterName: this.LAG_CLUSTER_NAME,
      broadcastGroups: this.LAG_BROADCAST_GROUPS.split(',').filter(Boolean),
      broadcastGroupExpiryMs: this.LAG_BROADCAST_GROUP_EXPIRY_MS,
      topicExclude: new RegExp(this.LAG_TOPIC_EXCLUDE),
      groupExclude: new RegExp(this.LAG_GROUP_EXCLUDE),
      statusWindowMs: Math.max(this.LAG_STATUS_WINDOW_MS, 2 * this.LAG_POLL_INTERVAL_MS),
    };
  }
}
