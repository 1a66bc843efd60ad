/** How an email's delivery reads on the board and the admin pages: a KERN badge and the template. */
import { html } from 'hono/html';
import type { EmailDelivery } from '../db/queries/email-deliveries';
import type { DeliveryOutcomeLabel } from '../domain/delivery-outcome';
import type { Lang } from './i18n';
import { dateTime } from './labels';

const outcomes: Record<DeliveryOutcomeLabel, { label: readonly [string, string]; badge: 'success' | 'info' | 'warning' | 'danger' }> = {
  sent: { label: ['zugestellt', 'sent'], badge: 'success' },
  pending: { label: ['wird gesendet', 'pending'], badge: 'info' },
  'on-hold': { label: ['zurückgestellt, wird wiederholt', 'on hold, retried'], badge: 'warning' },
  'address-held': { label: ['nicht gesendet: Adresse gesperrt', 'not sent: address on hold'], badge: 'danger' },
  failed: { label: ['fehlgeschlagen', 'failed'], badge: 'danger' },
  'possible-duplicate': { label: ['zugestellt, evtl. doppelt', 'sent, possibly twice'], badge: 'warning' },
};

export function outcomeLabel(lang: Lang, outcome: DeliveryOutcomeLabel): string {
  return outcomes[outcome].label[lang === 'de' ? 0 : 1];
}

export function outcomeBadge(lang: Lang, outcome: DeliveryOutcomeLabel) {
  return html`<span class="kern-badge kern-badge--${outcomes[outcome].badge}"><span class="kern-label">${outcomeLabel(lang, outcome)}</span></span>`;
}

/** The board's cell: which email, when, and how it went; a dash when nothing was sent yet. */
export function lastEmailCell(lang: Lang, delivery: EmailDelivery | undefined) {
  if (!delivery) return html`<td class="kern-table__cell">–</td>`;
  return html`<td class="kern-table__cell"><span class="kern-body kern-body--small">${delivery.template}, ${dateTime(lang, delivery.sentAt ?? delivery.createdAt)}</span><br>${outcomeBadge(lang, delivery.outcome)}</td>`;
}
