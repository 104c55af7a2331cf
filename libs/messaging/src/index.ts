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
export { KafkajsTransport } from './transport/kafkajs/kafkajs.transport';
export type { KafkaTransportOptions } from './transport/kafkajs/kafkajs.options';
export { OutboxWriter } from '@troupe/outbox';
export type { AddOptions } from '@troupe/outbox';
