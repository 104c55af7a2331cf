import { EventClass, topicNames } from '@troupe/schemas';
import { Delivery } from '../registry/handler-registration';

/**
 * The one place that turns logical names into the physical topics and group ids a service
 * uses: the topic prefix (TroupeOptions.topicPrefix) goes before every topic, and broadcast
 * groups get the replica's instance id as a suffix. Schema subjects keep the logical topic.
 */
export class TopicNaming {
  constructor(
    readonly prefix: string,
    private readonly instanceId: string,
  ) {}

  /** The physical topic of a logical one, e.g. `staging.orders.order.events`. */
  topic(logical: string): string {
    return `${this.prefix}${logical}`;
  }

  eventTopic(event: EventClass): string {
    return this.topic(event.topic);
  }

  /** The dead-letter topic of a declared group: `<prefix><group>.dlq`. */
  deadLetterTopic(group: string): string {
    return this.topic(topicNames.deadLetter(group));
  }

  /** The replay topic of a declared 'once' group: `<prefix><group>.replay`. */
  replayTopic(group: string): string {
    return this.topic(topicNames.replay(group));
  }

  /** The consumer group id: the declared group, or `<group>.<instanceId>` for broadcast. */
  groupId(group: string, delivery: Delivery): string {
    return delivery === 'broadcast' ? `${group}.${this.instanceId}` : group;
  }
}
