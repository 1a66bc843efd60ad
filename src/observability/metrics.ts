/**
 * Our own Prometheus metrics, next to the Temporal SDK's (served together on the worker's /metrics,
 * src/observability/ops-server.ts). Counted where the thing happens: emails in the ledger,
 * escalations and send lag where a deadline notice goes out (`recordNoticeSent`).
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();

export const emailOutcomes = ['sent', 'failed', 'unknown', 'held'] as const;
export type EmailOutcome = (typeof emailOutcomes)[number];

/** Emails by template and outcome; one per ledger row that reached an outcome ('already-sent' is not counted again). */
export const emailsTotal = new Counter({
  name: 'partnerflow_emails_total',
  help: 'Emails by template and outcome (sent, failed, unknown: may or may not have reached the SMTP server)',
  labelNames: ['template', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const escalationsTotal = new Counter({
  name: 'partnerflow_escalations_total',
  help: 'Escalation notices sent, by template and escalation level',
  labelNames: ['template', 'level'] as const,
  registers: [metricsRegistry],
});

/** Seconds from a deadline step's planned moment to its send: downtime, retries, a slow SMTP server. */
export const sendLagSeconds = new Histogram({
  name: 'partnerflow_send_lag_seconds',
  help: "Seconds between a notice's planned send time and the moment it was sent",
  labelNames: ['template'] as const,
  // From timer jitter (seconds) to a worker that was down over a weekend (days).
  buckets: [1, 5, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600],
  registers: [metricsRegistry],
});

let collectingProcessMetrics = false;

/** Adds the Node process's own metrics (memory, CPU, event-loop lag) to the registry; once per process. */
export function collectProcessMetrics(): void {
  if (collectingProcessMetrics) return;
  collectingProcessMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

export function countEmail(template: string, outcome: EmailOutcome): void {
  emailsTotal.inc({ template, outcome });
}

/**
 * For the delivery activity, once a deadline notice went out: how late it was against its plan,
 * and (for escalations, level ≥ 1) one more escalation. `sentAt` defaults to now.
 */
export function recordNoticeSent(notice: { template: string; plannedFor: Date | string; sentAt?: Date; escalationLevel?: number }): void {
  const sentAt = notice.sentAt ?? new Date();
  const lag = (sentAt.getTime() - new Date(notice.plannedFor).getTime()) / 1000;
  // A send cannot precede its plan; a negative value would be clock skew between worker hosts.
  sendLagSeconds.observe({ template: notice.template }, Math.max(0, lag));
  if (notice.escalationLevel !== undefined && notice.escalationLevel > 0) {
    escalationsTotal.inc({ template: notice.template, level: String(notice.escalationLevel) });
  }
}
