import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { reportFormUrl, reportStatusUrl, verifyReportToken } from '../../src/email/links';
import { messageIdFor } from '../../src/email/message-id';

const config = { publicBaseUrl: 'https://partnerflow.example.org', linkSecret: 'a-test-secret-of-some-length' };

describe('report links', () => {
  it('signs the form link with HMAC-SHA256 over report, year and partner', () => {
    const url = new URL(reportFormUrl(config, { partnerNumber: 7, year: 2018 }));
    const expected = createHmac('sha256', config.linkSecret).update('report:2018:7').digest('base64url');
    expect(url.origin + url.pathname).toBe('https://partnerflow.example.org/reports/2018/7');
    expect(url.searchParams.get('token')).toBe(expected);
  });

  it('accepts the token only for the partner and year it was made for', () => {
    const token = new URL(reportFormUrl(config, { partnerNumber: 7, year: 2018 })).searchParams.get('token') ?? '';
    expect(verifyReportToken(config, { partnerNumber: 7, year: 2018 }, token)).toBe(true);
    expect(verifyReportToken(config, { partnerNumber: 8, year: 2018 }, token)).toBe(false);
    expect(verifyReportToken(config, { partnerNumber: 7, year: 2019 }, token)).toBe(false);
    expect(verifyReportToken({ linkSecret: 'another-secret-entirely' }, { partnerNumber: 7, year: 2018 }, token)).toBe(false);
    expect(verifyReportToken(config, { partnerNumber: 7, year: 2018 }, '')).toBe(false);
  });

  it('links staff to the unsigned admin page', () => {
    expect(reportStatusUrl(config, { partnerNumber: 7, year: 2018 })).toBe(
      'https://partnerflow.example.org/admin/reports/2018/7',
    );
  });
});

describe('messageIdFor', () => {
  const from = 'Partnernetzwerk NRW stärkt Vielfalt <partnernetzwerk@Example.org>';

  it('derives the same id from the same key, on the sender domain', () => {
    const id = messageIdFor('annual-report/2018/7/reminder-2w#0/partner_main_contact/3', from);
    expect(id).toMatch(/^<[0-9a-f]{32}\.partnerflow@example\.org>$/);
    expect(messageIdFor('annual-report/2018/7/reminder-2w#0/partner_main_contact/3', from)).toBe(id);
  });

  it('gives different keys different ids', () => {
    expect(messageIdFor('a', from)).not.toBe(messageIdFor('b', from));
  });

  it('accepts a bare address', () => {
    expect(messageIdFor('a', 'noreply@mail.example.org')).toMatch(/@mail\.example\.org>$/);
  });
});
