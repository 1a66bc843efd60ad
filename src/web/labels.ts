/** How states and instants read on the pages, in both languages. */
import type { ReportPhase } from '../domain/report-phase';
import type { Lang } from './i18n';

const phases: Record<ReportPhase | 'pending' | 'not started', readonly [string, string]> = {
  pending: ['wird vorbereitet', 'being prepared'],
  'not started': ['nicht gestartet', 'not started'],
  awaiting_submission: ['erwartet', 'awaited'],
  overdue: ['überfällig', 'overdue'],
  submitted: ['eingereicht', 'submitted'],
  revision_requested: ['Überarbeitung angefordert', 'revision requested'],
  accepted: ['angenommen', 'accepted'],
  waived: ['verzichtet', 'waived'],
  closed: ['abgeschlossen', 'closed'],
};

export function phaseLabel(lang: Lang, phase: string): string {
  return phases[phase as ReportPhase]?.[lang === 'de' ? 0 : 1] ?? phase;
}

/** "2028-06-30" as "30.06.2028" in German, as it is in English. */
export function dayLabel(lang: Lang, day: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return iso && lang === 'de' ? `${iso[3]}.${iso[2]}.${iso[1]}` : day;
}

/** An instant in Berlin time, e.g. "31.03.2027, 23:59". */
export function dateTime(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(new Date(iso));
}
