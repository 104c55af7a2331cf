import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { javaBinary, kafkaLibDir } from '../../infra/src/maven-artifacts';
import { loadSettings } from '../../infra/src/settings';

export interface ToolPartitionRow {
  topic: string;
  partition: number;
  /** undefined where the tool prints "-" (no committed offset). */
  currentOffset?: number;
  logEndOffset: number;
  lag?: number;
}

/**
 * Kafka's own consumer-group tool (kafka-consumer-groups.sh --describe), run from the jars
 * infra/ resolved with the broker (org.apache.kafka:kafka-tools, same version).
 */
export async function describeGroupWithKafkaTool(
  bootstrap: string,
  group: string,
): Promise<ToolPartitionRow[]> {
  const { stdout } = await promisify(execFile)(
    javaBinary(),
    [
      '-cp',
      path.join(kafkaLibDir(loadSettings()), '*'),
      'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
      '--bootstrap-server',
      bootstrap,
      '--describe',
      '--group',
      group,
    ],
    { timeout: 60_000, maxBuffer: 10 * 1024 * 1024 },
  );
  return parseDescribe(stdout, group);
}

/** The rows of the tool's table: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID. */
export function parseDescribe(output: string, group: string): ToolPartitionRow[] {
  const number = (s: string) => (s === '-' ? undefined : Number(s));
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[0] === group && cols.length >= 6 && /^\d+$/.test(cols[2]))
    .map((cols) => ({
      topic: cols[1],
      partition: Number(cols[2]),
      currentOffset: number(cols[3]),
      logEndOffset: Number(cols[4]),
      lag: number(cols[5]),
    }));
}
