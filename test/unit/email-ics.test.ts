import { describe, expect, it } from 'vitest';
import { dueDateEvent, escapeText, foldLine } from '../../src/email/ics';

const event = {
  uid: 'annual-report-2018-7@partnerflow.example.org',
  dueAt: new Date('2019-03-31T21:59:59Z'),
  timezone: 'Europe/Berlin',
  summary: 'Abgabefrist: Jahresbericht 2018, Kreis Lippe; „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“',
  description: 'Bitte reichen Sie den Bericht ein:\nhttps://partnerflow.example.org/reports/2018/7?token=abc\\def',
  url: 'https://partnerflow.example.org/reports/2018/7?token=abc',
  stamp: new Date('2019-01-15T08:00:00.123Z'),
};

/** Minimal RFC 5545 reader: unfolds lines and splits each into name, parameters and value. */
function parse(ics: string) {
  expect(ics.endsWith('\r\n')).toBe(true);
  const physical = ics.slice(0, -2).split('\r\n');
  for (const line of physical) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  expect(ics.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  const logical = ics.slice(0, -2).replace(/\r\n /g, '').split('\r\n');
  return logical.map((line) => {
    const colon = line.indexOf(':');
    const [name, ...params] = line.slice(0, colon).split(';');
    return { name, params, value: line.slice(colon + 1) };
  });
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === 'n' ? '\n' : c));
}

describe('dueDateEvent', () => {
  const lines = parse(dueDateEvent(event));
  const prop = (name: string) => lines.find((line) => line.name === name);

  it('is one VEVENT inside one VCALENDAR', () => {
    expect(lines.filter((l) => l.name === 'BEGIN' || l.name === 'END').map((l) => `${l.name}:${l.value}`)).toEqual([
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
    expect(prop('VERSION')?.value).toBe('2.0');
    expect(prop('PRODID')?.value).toBeTruthy();
    expect(prop('METHOD')?.value).toBe('PUBLISH');
  });

  it('is an all-day event on the local due date', () => {
    expect(prop('DTSTART')).toEqual({ name: 'DTSTART', params: ['VALUE=DATE'], value: '20190331' });
    expect(prop('DTEND')).toEqual({ name: 'DTEND', params: ['VALUE=DATE'], value: '20190401' });
  });

  it('stamps the event with the given instant, not the clock', () => {
    expect(prop('DTSTAMP')?.value).toBe('20190115T080000Z');
    expect(dueDateEvent(event)).toBe(dueDateEvent({ ...event }));
  });

  it('keeps text with commas, semicolons, backslashes and line breaks intact', () => {
    expect(prop('UID')?.value).toBe(event.uid);
    expect(unescapeText(prop('SUMMARY')?.value ?? '')).toBe(event.summary);
    expect(unescapeText(prop('DESCRIPTION')?.value ?? '')).toBe(event.description);
    expect(prop('URL')?.value).toBe(event.url);
  });

  it('puts the event on the due day of the given zone', () => {
    const tokyo = parse(dueDateEvent({ ...event, timezone: 'Asia/Tokyo' }));
    expect(tokyo.find((l) => l.name === 'DTSTART')?.value).toBe('20190401');
  });
});

describe('foldLine', () => {
  it('folds at 75 octets without splitting a multi-byte character', () => {
    const line = `SUMMARY:${'ä'.repeat(100)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const part of folded) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.slice(1).every((part) => part.startsWith(' '))).toBe(true);
    expect(folded.map((part, i) => (i === 0 ? part : part.slice(1))).join('')).toBe(line);
  });

  it('leaves short lines alone', () => {
    expect(foldLine('VERSION:2.0')).toBe('VERSION:2.0');
  });
});

describe('escapeText', () => {
  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });
});
