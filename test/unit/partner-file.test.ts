import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePartnerFile } from '../../src/domain/partner-file';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/partners/${name}`, import.meta.url), 'utf8');
const kinds = [
  'district_government, district, association, municipality, job_centre, police, chamber, company,',
  'public_broadcaster, city_cooperation, regional_authority',
].join(' ');

describe('parsePartnerFile', () => {
  it('reads a CSV file into typed rows, splitting member cities at semicolons and leaving empty cells out', () => {
    const result = parsePartnerFile('good.csv', fixture('good.csv'));
    expect(result).toEqual({
      rows: [
        {
          number: 101,
          name: 'Kreis Musterland',
          kind: 'district',
          accessionDate: '2019-02-14',
          reportHeading: 'Bericht des Kreises Musterland',
          mainContactName: 'Erika Mustermann',
          mainContactEmail: 'ikoe@kreis-musterland.example',
          mainContactLanguage: 'de',
          leadershipName: 'Dr. Max Mustermann',
          leadershipEmail: 'landrat@kreis-musterland.example',
        },
        {
          number: 102,
          name: 'Städteverbund Rhein, Ruhr und Wupper',
          kind: 'city_cooperation',
          accessionDate: '2019-06-03',
          memberCities: ['Wuppertal', 'Remscheid', 'Solingen'],
          mainContactName: 'Jane Doe',
          mainContactEmail: 'integration@staedteverbund.example',
          mainContactLanguage: 'en',
          leadershipName: 'Hans Beispiel',
          leadershipEmail: 'leitung@staedteverbund.example',
        },
        { number: 103, name: 'Handwerkskammer Beispielstadt', kind: 'chamber' },
      ],
    });
  });

  it('reports every bad CSV row with its line in the file, counting lines inside quoted values', () => {
    expect(parsePartnerFile('bad.csv', fixture('bad.csv'))).toEqual({
      errors: [
        'line 3, field accessionDate: must be a real date as YYYY-MM-DD',
        'line 5, field name: is required',
        `line 6, field kind: must be one of ${kinds}`,
        'line 7, field number: must be a positive whole number',
        'line 8, field mainContactEmail: is required with mainContactName',
        'line 9: has 8 cells, the header has 7',
        'line 10, field number: partner 201 appears twice (also line 2)',
        'line 11, field mainContactEmail: must be an email address',
        'line 11, field memberCities: only a city_cooperation has member cities',
      ],
    });
  });

  it('reports every bad JSON entry by its index and field', () => {
    expect(parsePartnerFile('bad.json', fixture('bad.json'))).toEqual({
      errors: [
        'partners[1].number: must be a positive whole number',
        'partners[2].accessionDate: must be a real date as YYYY-MM-DD',
        'partners[3].kind: is required',
        'partners[4].mainContactLanguage: must be one of de, en',
        'partners[5].number: partner 301 appears twice (also partners[0])',
        'partners[6].fax: unknown field',
      ],
    });
  });

  it('accepts a bare JSON array as well as { partners: [...] }', () => {
    const row = { number: 7, name: 'Kreis Beispiel', kind: 'district', accessionDate: '2020-01-31' };
    expect(parsePartnerFile('p.json', JSON.stringify([row]))).toEqual({ rows: [row] });
    expect(parsePartnerFile('p.json', JSON.stringify({ partners: [row] }))).toEqual({ rows: [row] });
  });

  it('reads Windows line endings and a byte order mark', () => {
    const csv = '\uFEFFnumber,name,kind\r\n1,Kreis A,district\r\n2,"Kreis\r\nB",dist\r\n';
    expect(parsePartnerFile('p.csv', csv)).toEqual({ errors: [`line 3, field kind: must be one of ${kinds}`] });
  });

  it('rejects an impossible calendar date and a German-style date', () => {
    const csv = [
      'number,name,kind,accessionDate',
      '1,A,district,2021-02-29',
      '2,B,district,14.02.2019',
      '3,C,district,2020-02-29',
    ].join('\n');
    expect(parsePartnerFile('p.csv', csv)).toEqual({
      errors: [
        'line 2, field accessionDate: must be a real date as YYYY-MM-DD',
        'line 3, field accessionDate: must be a real date as YYYY-MM-DD',
      ],
    });
  });

  it('names unknown, repeated and missing header columns once instead of failing every row', () => {
    const csv = 'number,name,acessionDate,name\n1,A,2020-01-01,A\n2,B,2020-01-01,B\n';
    expect(parsePartnerFile('p.csv', csv)).toEqual({
      errors: [
        'line 1, field acessionDate: unknown column',
        'line 1, field name: column appears twice',
        'line 1, field kind: column is missing',
      ],
    });
  });

  it('requires a contact name and email together, and a language only with a contact', () => {
    const csv = [
      'number,name,kind,mainContactEmail,leadershipName,leadershipLanguage',
      '1,A,district,ikoe@a.example,,',
      '2,B,district,,Dr. B,',
      '3,C,district,,,en',
    ].join('\n');
    expect(parsePartnerFile('p.csv', csv)).toEqual({
      errors: [
        'line 2, field mainContactName: is required with mainContactEmail',
        'line 3, field leadershipEmail: is required with leadershipName',
        'line 4, field leadershipLanguage: needs leadershipName and leadershipEmail',
      ],
    });
  });

  it('explains files it cannot read at all', () => {
    expect(parsePartnerFile('partners.xlsx', 'PK')).toEqual({ errors: ['partners.xlsx: must end in .csv or .json'] });
    expect(parsePartnerFile('p.csv', '')).toEqual({ errors: ['line 1: the header row is missing'] });
    expect(parsePartnerFile('p.csv', 'number,name,kind\n')).toEqual({ errors: ['the file names no partners'] });
    expect(parsePartnerFile('p.csv', 'number,name,kind\n1,"Kreis A,district\n')).toEqual({
      errors: ['line 2: not valid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2'],
    });
    expect(parsePartnerFile('p.json', '{"partners": [')).toMatchObject({
      errors: [expect.stringMatching(/^not valid JSON: /)],
    });
    expect(parsePartnerFile('p.json', '{"partner": []}')).toEqual({
      errors: ['must be a list of partners or an object with a "partners" list'],
    });
  });
});
