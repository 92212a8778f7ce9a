/**
 * The custom metrics the stack alarms on, published by the functions through Powertools (CloudWatch embedded metric
 * format, dimension `service`): one definition for the handler that emits a metric and the alarm that reads it.
 */
export const METRICS_NAMESPACE = 'trustgate';

/** Powertools service names: the `service` dimension of every metric and the Service annotation of every trace. */
export const SERVICE_NAMES = { api: 'trustgate-api', workflow: 'trustgate-workflow', analyzer: 'trustgate-analyzer', sweep: 'trustgate-sweep', maintenance: 'trustgate-maintenance', jobs: 'trustgate-jobs' } as const;

export const OPERATIONAL_METRICS = {
  /** An assessment entered (or was re-recorded in) needs-attention: someone must retry or cancel it. */
  needsAttention: { name: 'AssessmentsNeedingAttention', service: SERVICE_NAMES.workflow },
  /** The daily sweep ran to the end: its absence for 26 hours raises an alarm. */
  sweepCompleted: { name: 'DailySweepsCompleted', service: SERVICE_NAMES.sweep },
} as const;
