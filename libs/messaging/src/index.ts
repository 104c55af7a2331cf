// The public door of @troupe/messaging. Application code never sees kafkajs types.
export { TroupeModule, TROUPE_OPTIONS } from './nest/troupe.module';
export type { TroupeModuleAsyncOptions } from './nest/troupe.module';
export { OnEvent, OnEventBatch } from './nest/on-event.decorator';
export { READINESS_CHECKS } from '@troupe/observability';
export type { ReadinessCheck } from '@troupe/observability';
export { TroupeRuntime } from './troupe.runtime';
export type { TroupeOptions } from './troupe.options';
export type { EventContext, BatchContext, BatchItem } from './consumer/event-context';
export type { Delivery, HandlerEffects, HandlerOptions, HandlerRegistration, HandlerFunction, BatchHandlerFunction } from './registry/handler-registration';
export type { RetryOptions } from './registry/retry.options';
export { HandlerRegistry } from './registry/handler-registry';
export type { GroupHandlers } from './registry/handler-registry';
export { TopicNaming } from './topology/topic-naming';
export type {
  Transport,
  Publisher,
  Subscription,
  SubscribeOptions,
  PartitionBatch,
  IncomingMessage,
  OutgoingMessage,
  TopicSpec,
  TopicDescription,
} from './transport/transport.port';
export { TransportError } from './transport/kafkajs/kafkajs-errors';
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
export { topicReaderOf } from './transport/topic-reader.port';
export type { TopicReader, TopicReaderOptions, TopicReaderSource, PartitionRange, ReadControl } from './transport/topic-reader.port';
export { KafkajsTransport } from './transport/kafkajs/kafkajs.transport';
export type { KafkaTransportOptions } from './transport/kafkajs/kafkajs.options';
export { OutboxWriter } from '@troupe/outbox';
export type { AddOptions } from '@troupe/outbox';
export { loadConfig, ConfigError } from './http-service-kit/env-config';
export { PlatformEnv } from './http-service-kit/platform-env';
export { runService, configOrExit } from './http-service-kit/run-service';
export type { RunServiceOptions } from './http-service-kit/run-service';
export { ProblemDetailsFilter } from './http-service-kit/problem-details.filter';
export type { ProblemDetails } from './http-service-kit/problem-details.filter';
export { troupeValidationPipe } from './http-service-kit/validation.pipe';
export { serviceDatabaseOptions } from './http-service-kit/service-database';
export type { ServiceDatabaseOptions, ServiceDataSourceOptions } from './http-service-kit/service-database';
export { RetriableError } from './errors/retriable.error';
export { NonRetriableError } from './errors/non-retriable.error';
export { HandlerTimeoutError } from './errors/handler-timeout.error';
export { InfrastructureUnavailableError } from './errors/infrastructure-unavailable.error';
export { TroupeError } from '@troupe/schemas';
export { TROUPE_ENTITIES } from './persistence/troupe-entities';
export { TROUPE_MIGRATIONS } from './persistence/troupe-migrations';
export { TroupeTables1732300000000, schemaOf } from './persistence/troupe-tables.migration';
export { TroupeParkedEvents1732400000000 } from './persistence/parked-events.migration';
export { InboxRecord } from './consumer/inbox/inbox-record.entity';
export { Inbox } from './consumer/inbox/inbox';
export { ParkingLot } from './consumer/parking/parking-lot';
export type { ParkedEvent } from './consumer/parking/parking-lot';
export { DataServiceEnv } from './http-service-kit/data-service-env';
export { declaredHandlers, hasEventHandlers } from './topology/service-topology';
export type { ServiceTopology, DeclaredHandler, PlatformAccess } from './topology/service-topology';
export type { KafkaSaslOptions, KafkaTlsOptions } from './transport/kafkajs/kafkajs.options';
export { AdminTokenGuard, ADMIN_TOKEN, adminTokenProvider } from './http-service-kit/admin-token.guard';
export { CommitBatcher } from './http-service-kit/commit-batcher';
export type { CommitBatcherOptions } from './http-service-kit/commit-batcher';
export { configureServiceHttp, HTTP_BODY_LIMIT_BYTES } from './http-service-kit/service-http';
export type { ServiceHttpOptions } from './http-service-kit/service-http';
export { TroupeValidationPipe } from './http-service-kit/validation.pipe';
export { UuidParam } from './http-service-kit/uuid-param';
export { DependencyWait, DependencyRefusedError, StartupStoppedError } from './lifecycle/dependency-wait';
export type { Dependency, DependencyWaitOptions, WaitingFor } from './lifecycle/dependency-wait';
export { OutboxAdminController } from './admin/outbox-admin.controller';
export { TraceAdminController } from './admin/trace-admin.controller';
export type {
  OutboxAdminView,
  QuarantinedRowView,
  QuarantineReleaseView,
  ServiceTraceView,
  TraceGroupView,
  TracedOutboxRowView,
  TracedInboxRowView,
  TracedParkedEventView,
  KeyFlowsView,
  KeyFlowView,
} from './admin/admin.views';
export { CorrelationIdParams, KeyFlowsQuery, QuarantineReleaseRequest } from './admin/admin.requests';
export { GroupConsumer } from './consumer/group-consumer';
export type { GroupConsumerOptions } from './consumer/group-consumer';
