/** Every metric Troupe exports, named in one place (dashboards and alerts use these). */
export const METRIC = {
  eventsPublished: 'troupe_events_published_total',
  eventsConsumed: 'troupe_events_consumed_total',
  handlerDuration: 'troupe_handler_duration_seconds',
  outboxPending: 'troupe_outbox_pending',
  outboxOldestPendingAge: 'troupe_outbox_oldest_pending_age_seconds',
  /** Outbox rows the broker refused for good, set aside until released (gauge). */
  outboxQuarantined: 'troupe_outbox_quarantined',
  /** Rows quarantined so far, by topic and type (counter). */
  outboxQuarantinedTotal: 'troupe_outbox_quarantined_total',
  relayLag: 'troupe_relay_lag_seconds',
  /** 1 on the replica whose relay holds the leader lock, 0 on standbys. */
  relayLeader: 'troupe_relay_leader',
  retries: 'troupe_retries_total',
  deadLetters: 'troupe_dead_letters_total',
  deadLetterFailures: 'troupe_dead_letter_failures_total',
  parkedEvents: 'troupe_parked_events',
  consumerRestarts: 'troupe_consumer_restarts_total',
  // Consumer lag is cluster state, measured once per cluster by the lag exporter (apps/compensation)
  // under kafka_exporter's and Kafka Lag Exporter's names below; services do not report it.

  /** Exporter: messages kept in a group's dead-letter topic. Labels group, topic. */
  deadLetterDepth: 'troupe_dead_letter_depth',
  /** Exporter: Burrow-style status of a group, one series per status, 1 for the current one. Labels group, status. */
  consumerGroupStatus: 'troupe_consumergroup_status',
  /** Exporter: 1 per group, with its delivery (once or broadcast) and declared group. */
  consumerGroupInfo: 'troupe_consumergroup_info',
  /** Exporter: polls of the cluster by outcome (ok, failed). */
  lagExporterPolls: 'troupe_lag_exporter_polls_total',
  /** Exporter: when the last poll succeeded (epoch seconds). */
  lagExporterLastSuccess: 'troupe_lag_exporter_last_success_timestamp_seconds',
  /** Exporter: Kafka requests sent, by API (OffsetFetch, ListOffsets, ...). */
  lagExporterRequests: 'troupe_lag_exporter_requests_total',
  /** Exporter: broadcast replica groups deleted after their replica was gone. */
  lagExporterDeletedGroups: 'troupe_lag_exporter_deleted_groups_total',
  /** Exporter: partitions whose time lag is only a lower bound so far (history still being filled in). */
  lagExporterLowerBounds: 'troupe_lag_exporter_time_lag_lower_bounds',
  /** Compensation: events published in the gap window a group has not applied (nor dead-lettered), per group, producer and topic (gauge). */
  compensationGapEvents: 'troupe_compensation_gap_events',
  /** Compensation: gap events replayed automatically, and given up after the retry limit, per group (counter; label outcome). */
  compensationGapReplays: 'troupe_compensation_gap_replays_total',
} as const;

/**
 * The names and labels danielqsj/kafka_exporter uses, so dashboards built on it (Grafana 7589,
 * Strimzi's kafka-exporter dashboard) work unchanged. Group label: `consumergroup`.
 */
export const KAFKA_EXPORTER_METRIC = {
  brokers: 'kafka_brokers',
  brokerInfo: 'kafka_broker_info',
  topicPartitions: 'kafka_topic_partitions',
  topicPartitionCurrentOffset: 'kafka_topic_partition_current_offset',
  topicPartitionOldestOffset: 'kafka_topic_partition_oldest_offset',
  topicPartitionLeader: 'kafka_topic_partition_leader',
  topicPartitionReplicas: 'kafka_topic_partition_replicas',
  topicPartitionInSyncReplica: 'kafka_topic_partition_in_sync_replica',
  topicPartitionLeaderIsPreferred: 'kafka_topic_partition_leader_is_preferred',
  topicPartitionUnderReplicated: 'kafka_topic_partition_under_replicated_partition',
  consumerGroupCurrentOffset: 'kafka_consumergroup_current_offset',
  consumerGroupCurrentOffsetSum: 'kafka_consumergroup_current_offset_sum',
  consumerGroupLag: 'kafka_consumergroup_lag',
  consumerGroupLagSum: 'kafka_consumergroup_lag_sum',
  consumerGroupMembers: 'kafka_consumergroup_members',
  /** Strimzi's dashboard reads its namespace and cluster variables from this series. */
  buildInfo: 'kafka_exporter_build_info',
} as const;

/**
 * The names and labels of Kafka Lag Exporter (seglo/kafka-lag-exporter), whose dashboards show
 * lag in seconds. Labels: cluster_name, group, topic, partition, member_host, consumer_id, client_id.
 */
export const LAG_EXPORTER_METRIC = {
  groupOffset: 'kafka_consumergroup_group_offset',
  groupLag: 'kafka_consumergroup_group_lag',
  groupLagSeconds: 'kafka_consumergroup_group_lag_seconds',
  groupMaxLag: 'kafka_consumergroup_group_max_lag',
  groupMaxLagSeconds: 'kafka_consumergroup_group_max_lag_seconds',
  groupSumLag: 'kafka_consumergroup_group_sum_lag',
  groupTopicSumLag: 'kafka_consumergroup_group_topic_sum_lag',
  partitionLatestOffset: 'kafka_partition_latest_offset',
  partitionEarliestOffset: 'kafka_partition_earliest_offset',
  pollTimeMs: 'kafka_consumergroup_poll_time_ms',
} as const;

/** Outcomes of one consumed event (label `outcome` of troupe_events_consumed_total). */
export type ConsumeOutcome = 'handled' | 'duplicate' | 'skipped' | 'failed' | 'dead-lettered';
