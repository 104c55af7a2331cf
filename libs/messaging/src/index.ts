// The public door of @troupe/messaging. Application code never sees kafkajs types.
export { TroupeModule, TROUPE_OPTIONS } from './nest/troupe.module';
export type { TroupeModuleAsyncOptions } from './nest/troupe.module';
export { OnEvent } from './nest/on-event.decorator';
export { TroupeRuntime } from './troupe.runtime';
export type { TroupeOptions } from './troupe.options';
export type { EventContext } from './consumer/event-context';
export type { Delivery, HandlerOptions, HandlerRegistration, HandlerFunction } from './consumer/handler-registration';
export type { RetryOptions } from './consumer/retry.options';
export type { Transport, Publisher, Subscription, PartitionBatch, IncomingMessage, OutgoingMessage, TopicSpec } from './transport/transport.port';
export { clusterAdminOf } from './transport/cluster-admin.port';
export type {
  ClusterAdmin,
  ClusterAdminOptions,
  ClusterAdminSource,
  BrokerNode,
  TopicInfo,
  PartitionInfo,
  PartitionOffsets,
  OffsetAtTime,
  ConsumerGroupListing,
  ConsumerGroupDescription,
  GroupMember,
  CommittedOffset,
  GroupDeletionFailure,
} from './transport/cluster-admin.port';
export { KafkajsTransport } from './transport/kafkajs/kafkajs.transport';
export type { KafkaTransportOptions } from './transport/kafkajs/kafkajs.options';
export { OutboxWriter } from '@troupe/outbox';
export type { AddOptions } from '@troupe/outbox';
export { loadConfig, ConfigError } from './service/env-config';
export { PlatformEnv } from './service/platform-env';
export { runService, configOrExit } from './service/run-service';
export type { RunServiceOptions } from './service/run-service';
export { ProblemDetailsFilter } from './service/problem-details.filter';
export type { ProblemDetails } from './service/problem-details.filter';
export { troupeValidationPipe } from './service/validation.pipe';
export { serviceDatabaseOptions } from './service/service-database';
export type { ServiceDatabaseOptions } from './service/service-database';
export { RetriableError } from './errors/retriable.error';
export { NonRetriableError } from './errors/non-retriable.error';
export { TroupeError } from '@troupe/schemas';
export { DataServiceEnv } from './service/data-service-env';
