/**
 * Topic and subject naming rules, the only place they are written down.
 *
 * - Events of one aggregate share a topic: `<domain>.<aggregate>.events`, keyed by aggregate id.
 * - Subjects follow TopicRecordNameStrategy: `<topic>-<record full name>`, since several event
 *   types share a topic.
 * - Each consumer group has its own dead-letter topic: `<group>.dlq`.
 * - Each 'once' group also reads its own replay topic, `<group>.replay`: the compensation app
 *   writes there the events it replays to that one group (the group's inbox drops what it has).
 */
export const topicNames = {
  aggregate: (domain: string, aggregate: string): string => `${domain}.${aggregate}.events`,
  subject: (topic: string, recordFullName: string): string => `${topic}-${recordFullName}`,
  deadLetter: (group: string): string => `${group}.dlq`,
  replay: (group: string): string => `${group}.replay`,
} as const;
