import { DeclaredHandler, declaredHandlers } from '@troupe/messaging';
import { EventClass, topicNames } from '@troupe/schemas';
import { DeployedApp } from './deployed-app';
import { TOPICS } from './deploy-settings';

export type TopicKind = 'events' | 'dead-letter' | 'replay';

export interface PlannedTopic {
  readonly name: string;
  readonly kind: TopicKind;
  readonly partitions: number;
  readonly retentionMs: number;
  /** Event topics: the event classes on it; a replay topic: those its group handles. */
  readonly events: readonly EventClass[];
}

/** One consumer group of one service. */
export interface PlannedGroup {
  /** As declared; a broadcast group runs as `<group>.<instance id>` (a prefix ACL). */
  readonly group: string;
  readonly delivery: 'once' | 'broadcast';
  /** Event topics it reads (and, for 'once', its replay topic, in `replayTopic`). */
  readonly topics: readonly string[];
  readonly replayTopic?: string;
  readonly deadLetterTopic: string;
  readonly handlers: readonly DeclaredHandler[];
}

export interface PlannedService {
  readonly app: DeployedApp;
  readonly name: string;
  /** Event topics it publishes to. */
  readonly publishes: readonly string[];
  readonly events: readonly EventClass[];
  readonly groups: readonly PlannedGroup[];
  /** Groups reading through the Transport directly (ServiceTopology.directGroups): topics and group only. */
  readonly directGroups: ReadonlyArray<{ readonly group: string; readonly topics: readonly string[] }>;
}

export interface Topology {
  readonly services: readonly PlannedService[];
  /** Sorted by name. */
  readonly topics: readonly PlannedTopic[];
}

/**
 * The whole topology from the apps' declarations: every event topic published or read, every
 * group's dead-letter topic, and every 'once' group's replay topic. A topic read by someone but
 * published by no one is still planned (its publisher may be outside), and so is a topic that is
 * published but read by no one. Throws when two services claim one group or one event topic's
 * events come from two services (each service writes only its own topics).
 */
export function buildTopology(apps: readonly DeployedApp[]): Topology {
  const services = apps.map(planService);
  const topics = new Map<string, PlannedTopic>();
  const add = (topic: PlannedTopic) => {
    const known = topics.get(topic.name);
    const events = [...new Set([...(known?.events ?? []), ...topic.events])];
    topics.set(topic.name, { ...topic, events: sortEvents(events) });
  };
  for (const service of services) {
    for (const event of service.events) add(eventTopic(event.topic, [event]));
    for (const direct of service.app.topology.directGroups ?? [])
      for (const event of direct.events) add(eventTopic(event.topic, [event]));
    for (const group of service.groups) {
      for (const handler of group.handlers) add(eventTopic(handler.event.topic, [handler.event]));
      add({
        name: group.deadLetterTopic,
        kind: 'dead-letter',
        partitions: TOPICS.partitions,
        retentionMs: TOPICS.retentionMs.deadLetter,
        events: [],
      });
      if (group.replayTopic)
        add({
          name: group.replayTopic,
          kind: 'replay',
          partitions: TOPICS.partitions,
          retentionMs: TOPICS.retentionMs.replay,
          events: group.handlers.map((h) => h.event),
        });
    }
  }
  assertOwnership(services);
  return { services, topics: [...topics.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

function planService(app: DeployedApp): PlannedService {
  const handlers = declaredHandlers(app.topology);
  const byGroup = new Map<string, DeclaredHandler[]>();
  for (const handler of handlers) {
    const key = `${handler.delivery}:${handler.group}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), handler]);
  }
  const groups = [...byGroup.values()].map((list): PlannedGroup => {
    const { group, delivery } = list[0];
    return {
      group,
      delivery,
      topics: [...new Set(list.map((h) => h.event.topic))].sort(),
      replayTopic: delivery === 'once' ? topicNames.replay(group) : undefined,
      deadLetterTopic: topicNames.deadLetter(group),
      handlers: list,
    };
  });
  const events = sortEvents(app.topology.publishes);
  return {
    app,
    name: app.topology.service,
    publishes: [...new Set(events.map((e) => e.topic))].sort(),
    events,
    groups: groups.sort((a, b) => a.group.localeCompare(b.group)),
    directGroups: (app.topology.directGroups ?? []).map((g) => ({
      group: g.group,
      topics: [...new Set(g.events.map((e) => e.topic))].sort(),
    })),
  };
}

function eventTopic(name: string, events: EventClass[]): PlannedTopic {
  return {
    name,
    kind: 'events',
    partitions: TOPICS.partitions,
    retentionMs: TOPICS.retentionMs.events,
    events,
  };
}

function sortEvents(events: readonly EventClass[]): EventClass[] {
  return [...events].sort((a, b) => a.eventType.localeCompare(b.eventType));
}

function assertOwnership(services: readonly PlannedService[]): void {
  const groupOwner = new Map<string, string>();
  const topicOwner = new Map<string, string>();
  for (const service of services) {
    for (const group of service.groups) {
      const owner = groupOwner.get(group.group);
      if (owner && owner !== service.name)
        throw new Error(
          `group ${group.group} is declared by both ${owner} and ${service.name}; different services must use different groups`,
        );
      groupOwner.set(group.group, service.name);
    }
    for (const topic of service.publishes) {
      const owner = topicOwner.get(topic);
      if (owner && owner !== service.name)
        throw new Error(
          `topic ${topic} is published by both ${owner} and ${service.name}; each service writes only its own topics`,
        );
      topicOwner.set(topic, service.name);
    }
  }
}
