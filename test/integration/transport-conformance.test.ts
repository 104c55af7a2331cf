import { KafkajsTransport } from '@troupe/messaging';
import { testInfra } from '@troupe/testing';
import { describeTransportConformance } from '../support/transport-conformance';

const quiet = () => undefined;

describeTransportConformance('kafkajs', {
  make: () =>
    new KafkajsTransport({
      brokers: testInfra.kafkaBrokers(),
      clientId: 'it-conformance',
      log: quiet,
    }),
  // Port 1: nothing listens there; kafkajs gives up after its retries.
  unreachable: () =>
    new KafkajsTransport({
      brokers: ['127.0.0.1:1'],
      clientId: 'it-conformance-unreachable',
      log: quiet,
    }),
});
