import { missingReason } from '../../../documents/model';
import type { CompiledReportMailContext } from '../../compiled-report-context';
import { formatDay } from '../../format';
import { facts, paragraphs } from '../compose';
import { imprint } from './common';

export const subject = (ctx: CompiledReportMailContext) =>
  `Jahresbericht ${ctx.year} zusammengestellt (Version ${ctx.version}): ${ctx.chapters} von ${ctx.partners} Berichten enthalten`;

export const text = (ctx: CompiledReportMailContext) =>
  paragraphs(
    `Guten Tag ${ctx.recipientName},`,
    `der Gesamtbericht ${ctx.year} ist als Version ${ctx.version} zusammengestellt worden. Frühere Versionen bleiben erhalten.`,
    facts(
      ['Version', ctx.version],
      ['Stand', formatDay(ctx.asOf, 'de')],
      ['Partner im Bericht', ctx.partners],
      ['Enthaltene Berichte', ctx.chapters],
      ['Nicht enthalten', ctx.missing.length],
    ),
    ctx.missing.length > 0 &&
      `Nicht enthalten sind die Berichte dieser Partner:\n${ctx.missing.map((m) => `- ${m.number} ${m.organisation}: ${missingReason(m)}`).join('\n')}`,
    ctx.attached.length > 0 && `Im Anhang: ${ctx.attached.join(', ')}.`,
    ctx.onServer.length > 0 &&
      `Zu groß für den Versand per E-Mail, abgelegt auf dem Server:\n${ctx.onServer.map((f) => `- ${f.path} (${megabytes(f.bytes)} MB)`).join('\n')}`,
    ['Diese Nachricht wurde von Partnerflow automatisch erstellt.', imprint].join('\n\n'),
  );

const megabytes = (bytes: number) => (bytes / 1_000_000).toLocaleString('de-DE', { maximumFractionDigits: 1 });
