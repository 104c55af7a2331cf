export * from './event-class';
export * from './topic-names';
export * from './event-headers';
export * from './avro-codec';
export * from './errors/troupe.error';
export * from './errors/schema-violation.error';
export * from './errors/undecodable-message.error';
export * from './errors/registry-unavailable.error';
