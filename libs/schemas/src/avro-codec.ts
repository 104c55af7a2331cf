import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Type } from 'avsc';
import { EventClass, TroupeEvent, createEvent } from './event-class';
import { RegistryUnavailableError } from './errors/registry-unavailable.error';
import { SchemaRejectedError, SchemaViolationError } from './errors/schema-violation.error';
import { UndecodableMessageError } from './errors/undecodable-message.error';
import { topicNames } from './topic-names';

/** What decoding a message gives: the event when this code knows its type, else only the type name. */
export interface DecodedEvent {
  eventType: string;
  schemaId: number;
  /** Undefined when no local class handles this type (the consumer skips it). */
  event?: TroupeEvent;
}

export interface AvroCodecOptions {
  /** The Confluent-compatible registry's base URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7. */
  registryUrl: string;
  /** Event classes this process reads or writes. More can be added with {@link AvroCodec.know}. */
  events?: readonly EventClass[];
  /**
   * How long a schema id the registry does not know is remembered as unknown, so junk traffic
   * does not send one registry request per message. Default 30000 ms.
   */
  unknownSchemaIdCacheMs?: number;
}

const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

/**
 * Avro in the Confluent wire format (magic byte 0, 4-byte schema id, Avro body), with schemas
 * registered under TopicRecordNameStrategy subjects. Decoding resolves the writer's schema
 * (fetched by id from the registry, cached) to the reader's (the generated class), so older
 * and newer compatible versions both decode.
 */
export class AvroCodec {
  private readonly registry: SchemaRegistry;
  private readonly classes = new Map<string, EventClass>();
  private readonly readerTypes = new Map<string, Type>();
  private readonly schemaIds = new Map<string, Promise<number>>();
  private readonly resolvers = new Map<
    number,
    { eventType: string; read: (body: Buffer) => unknown }
  >();
  /** Schema ids that can never decode, until when that answer is reused. */
  private readonly unknown = new Map<number, { until: number; error: UndecodableMessageError }>();
  private readonly unknownCacheMs: number;

  private readonly registryUrl: string;

  constructor(options: AvroCodecOptions) {
    this.registryUrl = options.registryUrl.replace(/\/+$/, '');
    this.unknownCacheMs = options.unknownSchemaIdCacheMs ?? 30_000;
    this.registry = new SchemaRegistry({ host: options.registryUrl, retry: { retries: 2 } });
    this.know(options.events ?? []);
  }

  /** Makes event classes decodable and encodable by this codec. */
  know(events: readonly EventClass[]): void {
    for (const type of events) {
      this.classes.set(type.eventType, type);
      if (!this.readerTypes.has(type.eventType))
        this.readerTypes.set(
          type.eventType,
          Type.forSchema(type.schema as unknown as Parameters<typeof Type.forSchema>[0]),
        );
    }
  }

  /** Registers (or finds) the class's schema under its subject; returns the schema id. Cached. */
  schemaId(type: EventClass): Promise<number> {
    let id = this.schemaIds.get(type.eventType);
    if (!id) {
      this.know([type]);
      id = this.register(type).catch((error: unknown) => {
        this.schemaIds.delete(type.eventType);
        throw registryError(error, `registering ${type.eventType}`);
      });
      this.schemaIds.set(type.eventType, id);
    }
    return id;
  }

  /**
   * POST /subjects/{subject}/versions: the registry returns the id of an identical schema, or
   * registers a new version if it is compatible under the registry's configured rule. (The
   * registry client's own register() insists on a per-subject compatibility setting, which
   * Apicurio reports as NONE when only the global rule is set.)
   */
  private async register(type: EventClass): Promise<number> {
    const subject = topicNames.subject(type.topic, type.eventType);
    const response = await fetch(
      `${this.registryUrl}/subjects/${encodeURIComponent(subject)}/versions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema: JSON.stringify(type.schema) }),
        signal: AbortSignal.timeout(10_000),
      },
    );
    const body = await response.text();
    if (!response.ok)
      throw Object.assign(new Error(`${response.status} ${body}`), { status: response.status });
    return (JSON.parse(body) as { id: number }).id;
  }

  /** Encodes an event; throws {@link SchemaViolationError} (non-retriable) when it does not match its schema. */
  async encode(event: TroupeEvent): Promise<Buffer> {
    const type = event.constructor as EventClass;
    const id = await this.schemaId(type);
    const avroType = this.readerTypes.get(type.eventType) as Type;
    const record = event.toRecord();
    const invalid: string[] = [];
    if (
      !avroType.isValid(record, { errorHook: (path) => invalid.push(path.join('.') || '(record)') })
    ) {
      throw new SchemaViolationError(type.eventType, invalid);
    }
    const body = avroType.toBuffer(record);
    const framed = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
    framed.writeUInt8(MAGIC_BYTE, 0);
    framed.writeInt32BE(id, 1);
    body.copy(framed, HEADER_LENGTH);
    return framed;
  }

  /**
   * Decodes a framed message. Throws {@link UndecodableMessageError} (non-retriable) for bytes
   * that can never decode, {@link RegistryUnavailableError} (retriable) when the registry is down.
   */
  async decode(buffer: Buffer | null): Promise<DecodedEvent> {
    if (!buffer || buffer.length < HEADER_LENGTH || buffer.readUInt8(0) !== MAGIC_BYTE) {
      const first =
        buffer && buffer.length > 0 ? `first byte ${buffer.readUInt8(0)}` : 'empty value';
      throw new UndecodableMessageError(
        'not-confluent-framed',
        `expected magic byte 0 and a 4-byte schema id, got ${first}, ${buffer?.length ?? 0} bytes`,
      );
    }
    const schemaId = buffer.readInt32BE(1);
    const resolver = await this.resolver(schemaId);
    let record: unknown;
    try {
      record = resolver.read(buffer.subarray(HEADER_LENGTH));
    } catch (error) {
      throw new UndecodableMessageError(
        'body-mismatch',
        `body does not match schema ${schemaId} (${resolver.eventType}): ${(error as Error).message}`,
        { cause: error },
      );
    }
    const type = this.classes.get(resolver.eventType);
    return {
      eventType: resolver.eventType,
      schemaId,
      event: type ? createEvent(type, record as object) : undefined,
    };
  }

  private async resolver(
    schemaId: number,
  ): Promise<{ eventType: string; read: (body: Buffer) => unknown }> {
    const cached = this.resolvers.get(schemaId);
    if (cached) return cached;
    const unknown = this.unknown.get(schemaId);
    if (unknown && unknown.until > Date.now()) throw unknown.error;
    try {
      const entry = await this.fetchResolver(schemaId);
      this.resolvers.set(schemaId, entry);
      return entry;
    } catch (error) {
      if (error instanceof UndecodableMessageError) {
        if (this.unknown.size > 10_000) this.unknown.clear(); // junk ids must not grow the map without bound
        this.unknown.set(schemaId, { until: Date.now() + this.unknownCacheMs, error });
      }
      throw error;
    }
  }

  private async fetchResolver(
    schemaId: number,
  ): Promise<{ eventType: string; read: (body: Buffer) => unknown }> {
    let writer: Type;
    try {
      writer = (await this.registry.getSchema(schemaId)) as unknown as Type;
    } catch (error) {
      // mappersmith (the registry client's HTTP layer) reports a network failure as a response
      // with status 400 whose body is the socket error's text (gateway.js dispatchClientError),
      // which the client's ResponseError shows as "Error, status 400: <text>"; a registry's own
      // 4xx carries its JSON message instead. So only a status with a registry message counts.
      const status = isClientSideFailure(error) ? undefined : statusOf(error);
      if (status === 404)
        throw new UndecodableMessageError(
          'unknown-schema-id',
          `schema id ${schemaId} is not in the registry`,
          { cause: error },
        );
      // 400/422: the registry holds the id but cannot serve it as a schema (seen with Apicurio for
      // content stored through its native API that its Confluent API cannot type).
      if (status === 400 || status === 422) {
        throw new UndecodableMessageError(
          'unreadable-schema',
          `the registry cannot serve schema ${schemaId}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      // The registry client parses the writer's schema with avsc and reports a schema avsc cannot
      // read (or one that is not Avro) as ConfluentSchemaRegistryArgumentError (dist/schemaTypeResolver.js):
      // that never gets better by asking again.
      if ((error as Error)?.name === 'ConfluentSchemaRegistryArgumentError') {
        throw new UndecodableMessageError(
          'unreadable-schema',
          `schema ${schemaId} cannot be read as Avro: ${(error as Error).message}`,
          { cause: error },
        );
      }
      // Anything else (5xx, 401/403, no answer) may get better: retried, never dead-lettered.
      throw new RegistryUnavailableError(
        `fetching schema ${schemaId}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const eventType = writer.name;
    if (typeof eventType !== 'string' || typeof writer.fromBuffer !== 'function') {
      throw new UndecodableMessageError(
        'unreadable-schema',
        `schema ${schemaId} is not a named Avro record`,
      );
    }
    const reader = this.readerTypes.get(eventType);
    let read: (body: Buffer) => unknown = (body) => writer.fromBuffer(body);
    if (reader) {
      let resolve: ReturnType<Type['createResolver']>;
      try {
        resolve = reader.createResolver(writer);
      } catch (error) {
        throw new UndecodableMessageError(
          'incompatible-schema',
          `writer schema ${schemaId} cannot be read as the local ${eventType}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      read = (body) => reader.fromBuffer(body, resolve);
    }
    return { eventType, read };
  }
}

function isClientSideFailure(error: unknown): boolean {
  return (
    (error as Error)?.name === 'ResponseError' &&
    /Error, status \d+: /.test((error as Error).message)
  );
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error
    ? Number((error as { status: unknown }).status)
    : undefined;
}

function registryError(error: unknown, doing: string): Error {
  const status = statusOf(error);
  if (status !== undefined && status >= 400 && status < 500)
    return new SchemaRejectedError(`${doing}: ${(error as Error).message}`, { cause: error });
  return new RegistryUnavailableError(`${doing}: ${(error as Error).message}`, { cause: error });
}
