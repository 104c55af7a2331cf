import { Registry } from 'prom-client';

/** Count and sum of a Troupe histogram over all its labels, as prom-client exposes them. */
export async function histogramTotals(
  registry: Registry,
  name: string,
): Promise<{ count: number; sum: number }> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return { count: 0, sum: 0 };
  // Histogram values name their series: <name>_bucket, <name>_sum, <name>_count.
  const { values } = await metric.get();
  const total = (suffix: string) =>
    values
      .filter((v) => (v as { metricName?: string }).metricName === `${name}${suffix}`)
      .reduce((sum, v) => sum + v.value, 0);
  return { count: total('_count'), sum: total('_sum') };
}

/** The same, for what was observed between two readings. */
export function histogramDelta(
  before: { count: number; sum: number },
  after: { count: number; sum: number },
) {
  const count = after.count - before.count;
  const sum = after.sum - before.sum;
  return { count, sum, mean: count > 0 ? sum / count : NaN };
}
