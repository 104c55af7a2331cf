export { METRIC, KAFKA_EXPORTER_METRIC, LAG_EXPORTER_METRIC } from './metric-names';
export type { ConsumeOutcome } from './metric-names';
export { TroupeMetrics } from './troupe-metrics';
export type { OutboxSnapshot } from './troupe-metrics';
export { runWithTrace, currentTrace, childTraceparent } from './trace-context';
export type { TraceContext } from './trace-context';
export { jsonLogger, errorLogger } from './json-log';
export type { LogFunction, LogLevel } from './json-log';
export { MetricsController } from './nest/metrics.controller';
