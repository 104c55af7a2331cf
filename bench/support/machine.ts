import * as os from 'node:os';

/** What the figures were measured on; printed first by every bench. */
export function describeMachine(): string {
  const cpus = os.cpus();
  return [
    `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} logical cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
      `${os.type()} ${os.release()}, node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    'note: Kafka, the registry, PostgreSQL and this process share these cores with other work on a shared machine; figures are noisy.',
  ].join('\n');
}
