import { TroupeMetrics } from '@troupe/observability';
import { OutboxWriter } from '@troupe/outbox';
import { AvroCodec } from '@troupe/schemas';
import { DataSource } from 'typeorm';
import { ResolvedConsumerOptions } from '../../troupe.options';
import { GroupHandlers } from '../../registry/handler-registry';
import { DeadLetterPublisher } from '../dead-letter/dead-letter.publisher';
import { ProgressWatch } from '../progress-watch';
import { broadcastPipeline } from './broadcast.pipeline';
import { GroupPipeline } from './group-pipeline';
import { oncePipeline } from './once.pipeline';

export interface GroupPipelineFactoryDeps {
  dataSource?: DataSource;
  codec: AvroCodec;
  writer: OutboxWriter;
  deadLetters: DeadLetterPublisher;
  metrics: TroupeMetrics;
  consumer: ResolvedConsumerOptions;
  log: (message: string, error?: unknown) => void;
}

/** Builds each group's pipeline by its delivery: 'once' ({@link oncePipeline}) or 'broadcast'. */
export class GroupPipelineFactory {
  constructor(private readonly deps: GroupPipelineFactoryDeps) {}

  create(group: GroupHandlers, progress: ProgressWatch): GroupPipeline {
    const { dataSource, consumer } = this.deps;
    const settings = {
      inPlaceRetryMaxDelayMs: consumer.inPlaceRetryMaxDelayMs,
      parkingPollIntervalMs: consumer.parkingPollIntervalMs,
      lockTimeoutMs: consumer.lockTimeoutMs,
      // A statement may run as long as its handler may; the chunk's own statements are quick.
      statementTimeoutMs: Math.max(...[...group.byType.values()].map((h) => h.timeoutMs)),
    };
    const common = { ...this.deps, group, progress, settings };
    if (group.delivery === 'broadcast') return broadcastPipeline(common);
    if (!dataSource) throw new Error(`group ${group.groupId}: delivery 'once' needs a DataSource for the inbox`);
    return oncePipeline({ ...common, dataSource });
  }
}
