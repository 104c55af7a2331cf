import { IncomingMessage, PartitionRange } from '@troupe/messaging';
import { HEADER } from '@troupe/schemas';

export type JobKind = 'replay' | 'redrive';
export type JobMode = 'missed' | 'reprocess';

/** What a replay re-delivers: events of one topic, narrowed by any of the filters. */
export interface ReplaySelection {
  /** The physical topic read (an event topic, or the group's dead-letter topic for a redrive). */
  topic: string;
  /** Broker time range (ISO 8601), `to` exclusive. */
  from?: string;
  to?: string;
  /** Offsets per partition (`to` exclusive); instead of a time range. */
  partitions?: PartitionRange[];
  eventIds?: string[];
  key?: string;
  eventTypes?: string[];
  /** Dead letters only: their error codes. */
  errorCodes?: string[];
}

/** The message's event id and type, from its headers (undefined: not a Troupe event). */
export function eventOf(message: IncomingMessage): { eventId: string; eventType: string } | undefined {
  const eventId = message.headers[HEADER.eventId];
  const eventType = message.headers[HEADER.eventType];
  return eventId && eventType ? { eventId: eventId.toLowerCase(), eventType } : undefined;
}

/**
 * A predicate for the messages a selection picks (the offsets were narrowed before reading):
 * only events of types the group handles; the filters given all have to match.
 */
export function selector(
  selection: ReplaySelection,
  handledTypes: ReadonlySet<string>,
  errorCodeOf: (m: IncomingMessage) => string | undefined = () => undefined,
): (message: IncomingMessage) => boolean {
  const ids = selection.eventIds?.length ? new Set(selection.eventIds.map((id) => id.toLowerCase())) : undefined;
  const types = selection.eventTypes?.length ? new Set(selection.eventTypes) : undefined;
  const codes = selection.errorCodes?.length ? new Set(selection.errorCodes) : undefined;
  const from = selection.from && !selection.partitions ? Date.parse(selection.from) : undefined;
  const to = selection.to && !selection.partitions ? Date.parse(selection.to) : undefined;
  return (message) => {
    const event = eventOf(message);
    if (!event || !handledTypes.has(event.eventType)) return false;
    if (ids && !ids.has(event.eventId)) return false;
    if (types && !types.has(event.eventType)) return false;
    if (selection.key !== undefined && message.key !== selection.key) return false;
    if (codes && !codes.has(errorCodeOf(message) ?? '')) return false;
    if (from !== undefined && message.timestamp < from) return false;
    if (to !== undefined && message.timestamp >= to) return false;
    return true;
  };
}

/** True when the selection narrows nothing (a request for "everything" must say so: redrive `all`). */
export function isEmptySelection(selection: ReplaySelection): boolean {
  return (
    !selection.from &&
    !selection.to &&
    !selection.partitions?.length &&
    !selection.eventIds?.length &&
    selection.key === undefined &&
    !selection.eventTypes?.length &&
    !selection.errorCodes?.length
  );
}
