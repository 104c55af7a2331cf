/** How the lag exporter watches the cluster. Every field is optional; defaults below. */
export interface LagExporterOptions {
  /** Time between polls, ms. Each poll sends at most one offset-fetch request per group. Default 5000. */
  pollIntervalMs?: number;
  /** Value of the `cluster_name` label of the Kafka Lag Exporter-style metrics. Default 'troupe'. */
  clusterName?: string;
  /** Declared broadcast groups; their replica groups are `<name>.<instance>`. Default none. */
  broadcastGroups?: readonly string[];
  /** A broadcast replica group without members whose offsets did not move for this long is deleted, ms. Default 600000 (10 min). */
  broadcastGroupExpiryMs?: number;
  /** Topics not reported. Default /^__/ (Kafka's internal topics). */
  topicExclude?: RegExp;
  /** Groups not reported. Default: none excluded. */
  groupExclude?: RegExp;
  /** The window the group status (OK/WARN/STALL/STOP) is judged over, ms. Default 12 poll intervals. */
  statusWindowMs?: number;
  /** Log end samples kept per partition for the time lag. Default 120. */
  historyPoints?: number;
  /** Broker time-index look-ups per poll to estimate the time lag of groups far behind. Default 8. */
  timeLookupsPerPoll?: number;
  /** How far back the time index is searched, ms. Default 7 days (Kafka's default retention). */
  maxLookbackMs?: number;
  /** Offset-fetch and list-offsets requests in flight at once. Default 8. */
  concurrency?: number;
}

export type ResolvedLagExporterOptions = Required<LagExporterOptions>;

/** Fills in the defaults and validates once; a bad value throws naming the option. */
export function resolveLagExporterOptions(
  options: LagExporterOptions = {},
): ResolvedLagExporterOptions {
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const resolved: ResolvedLagExporterOptions = {
    pollIntervalMs,
    clusterName: options.clusterName ?? 'troupe',
    broadcastGroups: options.broadcastGroups ?? [],
    broadcastGroupExpiryMs: options.broadcastGroupExpiryMs ?? 600_000,
    topicExclude: options.topicExclude ?? /^__/,
    groupExclude: options.groupExclude ?? /(?!)/,
    statusWindowMs: options.statusWindowMs ?? 12 * pollIntervalMs,
    historyPoints: options.historyPoints ?? 120,
    timeLookupsPerPoll: options.timeLookupsPerPoll ?? 8,
    maxLookbackMs: options.maxLookbackMs ?? 7 * 24 * 3600 * 1000,
    concurrency: options.concurrency ?? 8,
  };
  const atLeast = (name: keyof LagExporterOptions, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min)
      throw new Error(
        `lag exporter option ${name} must be an integer of at least ${min}, got ${value}`,
      );
  };
  atLeast('pollIntervalMs', resolved.pollIntervalMs, 100);
  atLeast('broadcastGroupExpiryMs', resolved.broadcastGroupExpiryMs, resolved.pollIntervalMs);
  atLeast('statusWindowMs', resolved.statusWindowMs, 2 * resolved.pollIntervalMs);
  atLeast('historyPoints', resolved.historyPoints, 4);
  atLeast('timeLookupsPerPoll', resolved.timeLookupsPerPoll, 0);
  atLeast('maxLookbackMs', resolved.maxLookbackMs, resolved.pollIntervalMs);
  atLeast('concurrency', resolved.concurrency, 1);
  if (!/^[a-zA-Z0-9._-]+$/.test(resolved.clusterName))
    throw new Error(
      `lag exporter option clusterName must be letters, digits, ".", "_" or "-", got "${resolved.clusterName}"`,
    );
  for (const group of resolved.broadcastGroups)
    if (!/^[a-zA-Z0-9._-]+$/.test(group))
      throw new Error(`lag exporter option broadcastGroups: "${group}" is not a group name`);
  return resolved;
}
