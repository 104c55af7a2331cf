/** The scheduler's job names and task types, in one place (admin API, metrics labels, alert rules). */
export const SHOP_JOB = {
  deadlineMonitor: 'deadline-monitor',
  dailyReconciliation: 'daily-reconciliation',
  gapRedelivery: 'gap-redelivery',
} as const;

export const SHOP_TASK = {
  cancelStuckOrder: 'cancel-stuck-order',
  reviewPaymentMismatch: 'review-payment-mismatch',
} as const;

/** The reason the deadline monitor gives orders; payments and inventory see it in OrderCancelled. */
export const TIMEOUT_REASON = 'timeout';
