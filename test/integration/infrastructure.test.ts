import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { testInfra, uniqueName } from '@troupe/testing';

/**
 * The first proof that the stack is real: a topic on the broker, a schema in the registry,
 * and an Avro record that makes the round trip in the Confluent wire format.
 */
describe('local infrastructure', () => {
  const kafka = new Kafka({
    clientId: 'infra-test',
    brokers: testInfra.kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const registry = new SchemaRegistry({ host: testInfra.schemaRegistryUrl() });
  const topic = uniqueName('infra.probe.events');
  const schema = {
    type: 'record',
    name: 'Probe',
    namespace: 'troupe.infra',
    fields: [
      { name: 'probeId', type: 'string' },
      { name: 'count', type: 'int' },
    ],
  };

  it('round-trips an Avro record in the Confluent wire format through a consumer group', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0].partitions).toHaveLength(3);
    await admin.disconnect();

    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject: `${topic}-troupe.infra.Probe` },
    );
    expect(id).toBeGreaterThan(0);
    const value = await registry.encode(id, { probeId: 'p-1', count: 42 });

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'p-1', value }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('infra-test-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message within 30 s')), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(message.value as Buffer);
        },
      });
    });
    await consumer.disconnect();

    expect(received[0]).toBe(0); // magic byte
    expect(received.readInt32BE(1)).toBe(id); // the schema id the registry returned
    expect(await registry.decode(received)).toEqual({ probeId: 'p-1', count: 42 });
  });

  it('answers the Confluent REST API with the schema registered under its subject', async () => {
    const subject = `${uniqueName('infra.api.events')}-troupe.infra.Probe`;
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject },
    );
    const response = await fetch(
      `${testInfra.schemaRegistryUrl()}/subjects/${subject}/versions/latest`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: number; version: number; schema: string };
    expect(body.id).toBe(id);
    expect(body.version).toBe(1);
    expect(JSON.parse(body.schema).name).toBe('Probe');
  });
});
