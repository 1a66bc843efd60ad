import { describe, expect, it } from 'vitest';
import { accessionStatusUrl, reportStatusUrl } from '../../src/email/links';
import { messageIdFor } from '../../src/email/message-id';

const config = { publicBaseUrl: 'https://partnerflow.example.org' };

describe('staff links', () => {
  it('lead staff to the board row of a report and to an accession, without a token', () => {
    expect(reportStatusUrl(config, { partnerNumber: 7, year: 2018 })).toBe('https://partnerflow.example.org/staff/reports/2018#p-7');
    expect(accessionStatusUrl(config, { partnerNumber: 29 })).toBe('https://partnerflow.example.org/staff/accessions/29');
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
