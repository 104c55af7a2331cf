import { resolveTroupeOptions } from './troupe.options';

describe('resolveTroupeOptions', () => {
  const valid = { service: 'payments', kafka: { brokers: ['127.0.0.1:9092'] }, schemaRegistry: { url: 'http://127.0.0.1:8081' } };

  it('fills the documented defaults', () => {
    const resolved = resolveTroupeOptions(valid);
    expect(resolved.topics).toEqual({ create: true, partitions: 6, retentionMs: 7 * 86_400_000, segmentMs: 86_400_000 });
    expect(resolved.consumer).toEqual({
      chunkSize: 100,
      partitionConcurrency: 4,
      commitIntervalMs: 100,
      inPlaceRetryMaxDelayMs: 1000,
      parkingPollIntervalMs: 500,
      restartMaxBackoffMs: 10_000,
      handlerTimeoutMs: 30_000,
      lockTimeoutMs: 5000,
      stuckAfterMs: 60_000,
      inboxRetentionMs: 9 * 86_400_000,
      inboxPruneIntervalMs: 60_000,
    });
    expect(resolved.shutdownTimeoutMs).toBe(25_000);
    expect(resolved.kafka?.clientId).toBe('payments');
  });

  it.each([
    [{ ...valid, service: 'pay ments' }, 'Troupe option service'],
    [{ ...valid, kafka: { brokers: [] } }, 'Troupe option kafka.brokers must list at least one host:port'],
    [{ ...valid, kafka: { brokers: ['localhost'] } }, 'kafka.brokers has "localhost", expected host:port'],
    [{ ...valid, schemaRegistry: { url: 'not a url' } }, 'schemaRegistry.url must be a URL'],
    [{ ...valid, topics: { partitions: 0 } }, 'topics.partitions must be a positive integer'],
    [{ ...valid, consumer: { chunkSize: 1.5 } }, 'consumer.chunkSize must be a positive integer'],
    [{ ...valid, shutdownTimeoutMs: -1 }, 'shutdownTimeoutMs must be a positive number'],
    [{ ...valid, consumer: { handlerTimeoutMs: 0 } }, 'consumer.handlerTimeoutMs must be a positive number, got 0'],
    [{ ...valid, consumer: { lockTimeoutMs: 2.5 } }, 'consumer.lockTimeoutMs must be a positive integer'],
    [{ ...valid, consumer: { commitIntervalMs: -1 } }, 'consumer.commitIntervalMs must be 0 or a positive number, got -1'],
    [{ ...valid, consumer: { inboxRetentionMs: NaN } }, 'consumer.inboxRetentionMs must be a positive number'],
    [{ ...valid, kafka: { brokers: ['a:1'], sasl: { mechanism: 'gssapi' as never, username: 'u', password: 'p' } } }, 'kafka.sasl.mechanism must be plain, scram-sha-256 or scram-sha-512'],
    [{ ...valid, kafka: { brokers: ['a:1'], sasl: { mechanism: 'scram-sha-512' as const, username: 'u', password: '' } } }, 'kafka.sasl needs a username and a password'],
  ])('refuses a bad setting with its name (%#)', (options, message) => {
    expect(() => resolveTroupeOptions(options)).toThrow(message);
  });
});
