import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { kafkaErrorType, refusalOf } from './kafkajs-refusal';

// The shapes kafkajs builds (src/protocol/error.js createErrorFromCode, src/retry/index.js).
// kafkajs' typings omit the options argument its error classes take (src/errors.js).
const NonRetriable = KafkaJSNonRetriableError as unknown as new (
  e: Error,
  options: { cause: Error },
) => Error;
const protocolError = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError({ type, code, retriable, message: type } as never);

describe('refusalOf', () => {
  it.each([
    'MESSAGE_TOO_LARGE',
    'RECORD_LIST_TOO_LARGE',
    'INVALID_RECORD',
    'INVALID_TOPIC_EXCEPTION',
  ])('treats %s as refused for good', (type) => {
    expect(refusalOf(protocolError(type, 10, false))).toBe(type);
  });

  it('finds the broker’s reason behind kafkajs’ wrappers', () => {
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', 10, false);
    expect(refusalOf(new NonRetriable(tooLarge, { cause: tooLarge }))).toBe('MESSAGE_TOO_LARGE');
    const unknown = protocolError('UNKNOWN_TOPIC_OR_PARTITION', 3, true);
    expect(
      kafkaErrorType(
        new KafkaJSNumberOfRetriesExceeded(unknown, { retryCount: 5, retryTime: 100 } as never),
      ),
    ).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('leaves transient errors transient', () => {
    expect(refusalOf(protocolError('UNKNOWN_TOPIC_OR_PARTITION', 3, true))).toBeUndefined(); // confirmed against the cluster first
    expect(refusalOf(protocolError('NOT_LEADER_FOR_PARTITION', 6, true))).toBeUndefined();
    expect(refusalOf(protocolError('NOT_ENOUGH_REPLICAS', 19, true))).toBeUndefined();
    expect(refusalOf(protocolError('TOPIC_AUTHORIZATION_FAILED', 29, false))).toBeUndefined(); // an operator fixes ACLs; rows wait
    expect(
      refusalOf(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED' as never)),
    ).toBeUndefined();
    expect(refusalOf(new Error('anything else'))).toBeUndefined();
  });
});
