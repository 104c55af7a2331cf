import { DataServiceEnv } from '@troupe/messaging';
import { IsInt, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
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
