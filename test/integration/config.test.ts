import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs the embedded development setup when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      database: { embedded: true, url: 'postgres://postgres:password@127.0.0.1:54329/partnerflow' },
      dataDir: '.data',
      temporal: { address: 'localhost:7233', namespace: 'default', taskQueue: 'partnerflow', uiPort: 8233, external: false },
      smtp: { url: 'smtp://localhost:2525', external: false },
      binaries: { cacheDir: join(homedir(), '.cache', 'partnerflow'), temporalCliPath: undefined },
      publicBaseUrl: 'http://localhost:3000',
      timezone: 'Europe/Berlin',
      sendingWindow: { start: '08:00', end: '17:00' },
      logLevel: 'info',
      logFormat: undefined,
      metricsPort: 9464,
      ports: { mailCatcherSmtp: 2525, mailCatcherWeb: 8025 },
    });
  });

  it('reads the log format and the metrics port', () => {
    expect(loadConfig({ LOG_FORMAT: 'pretty', METRICS_PORT: '9100' })).toMatchObject({ logFormat: 'pretty', metricsPort: 9100 });
    expect(problemsOf({ LOG_FORMAT: 'xml', METRICS_PORT: '70000' })).toEqual([
      'LOG_FORMAT: Invalid option: expected one of "json"|"pretty"',
      'METRICS_PORT: Too big: expected number to be <=65535',
    ]);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '', MAIL_CATCHER_PORT: '' })).toEqual(loadConfig({}));
  });

  it('uses servers that are set explicitly instead of starting its own', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app:secret@db.example.org:5432/partnerflow',
      TEMPORAL_ADDRESS: 'temporal.example.org:7233',
      SMTP_URL: 'smtp://mail.example.org:25',
    });
    expect(config.database).toMatchObject({ url: 'postgres://app:secret@db.example.org:5432/partnerflow', embedded: false });
    expect(config.temporal).toMatchObject({ address: 'temporal.example.org:7233', external: true });
    expect(config.smtp).toMatchObject({ url: 'smtp://mail.example.org:25', external: true });
  });

  it('reads the binary cache and an explicit Temporal CLI', () => {
    const config = loadConfig({ PARTNERFLOW_CACHE: '/srv/cache', TEMPORAL_CLI_PATH: process.execPath });
    expect(config.binaries).toEqual({ cacheDir: '/srv/cache', temporalCliPath: process.execPath });
  });

  it('strips trailing slashes from the public base URL, so links join cleanly', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://partner.example.org//', ...productionSecrets }).publicBaseUrl).toBe('https://partner.example.org');
  });

  it('names each bad variable with its reason, one line each', () => {
    expect(
      problemsOf({
        TEMPORAL_ADDRESS: 'localhost',
        SMTP_URL: 'http://mail.example.org',
        DEFAULT_TIMEZONE: 'Europe/Bonn',
        LINK_SECRET: 'short',
        SENDING_WINDOW_START: '8:00',
        LOG_LEVEL: 'verbose',
      }),
    ).toEqual([
      'TEMPORAL_ADDRESS: must be host:port, e.g. localhost:7233',
      'SMTP_URL: must start with smtp:// or smtps://',
      'LINK_SECRET: must be at least 16 characters',
      'DEFAULT_TIMEZONE: must be an IANA time zone, e.g. Europe/Berlin',
      'SENDING_WINDOW_START: must be a time of day as HH:MM (00:00 to 23:59, or 24:00)',
      expect.stringMatching(/^LOG_LEVEL: .*"debug"/),
    ]);
  });

  it.each([
    ['TEMPORAL_UI_PORT', 'eighty'],
    ['MAIL_CATCHER_PORT', '70000'],
    ['DATABASE_URL', 'mysql://db/partnerflow'],
    ['MAIL_FROM', 'nobody'],
    ['TEMPORAL_CLI_PATH', '/no/such/temporal'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: \\S`));
  });

  it.each(['24:30', '24:01', '25:00', '23:60', '7:00'])('refuses %s as a time of day, naming the format', (time) => {
    expect(problemsOf({ SENDING_WINDOW_END: time })).toEqual([
      'SENDING_WINDOW_END: must be a time of day as HH:MM (00:00 to 23:59, or 24:00)',
    ]);
  });

  it('accepts 23:59 and 24:00 as times of day', () => {
    expect(loadConfig({ SENDING_WINDOW_START: '23:59', SENDING_WINDOW_END: '24:00' }).sendingWindow).toEqual({
      start: '23:59',
      end: '24:00',
    });
  });

  it('requires the sending window to end after it starts', () => {
    expect(problemsOf({ SENDING_WINDOW_START: '18:00', SENDING_WINDOW_END: '09:00' })).toEqual([
      'SENDING_WINDOW_END: must be later than SENDING_WINDOW_START (18:00)',
    ]);
    expect(problemsOf({ SENDING_WINDOW_START: '17:00' })).toEqual([
      'SENDING_WINDOW_END: must be later than SENDING_WINDOW_START (17:00)',
    ]);
    expect(loadConfig({ SENDING_WINDOW_START: '00:00', SENDING_WINDOW_END: '24:00' }).sendingWindow).toEqual({
      start: '00:00',
      end: '24:00',
    });
  });

  it('stops start-up with the message and no stack trace', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/provision.ts'], {
      env: { ...process.env, TEMPORAL_ADDRESS: 'localhost' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid configuration:\n  TEMPORAL_ADDRESS: must be host:port, e.g. localhost:7233');
  }, 60_000);
});

const productionKey = Buffer.alloc(32, 7).toString('base64');
const productionSecrets = {
  LINK_SECRET: 'a-long-production-secret',
  PAYLOAD_KEYS: `2027-01:${productionKey}`,
  CODEC_ADMIN_TOKEN: 'a-long-production-codec-admin-token',
};

describe('secrets behind a public address', () => {
  it('refuses every development secret behind a public address, and names each variable', () => {
    const at = '(https://partnernetzwerk.nrw.example) is not a local address';
    expect(problemsOf({ PUBLIC_BASE_URL: 'https://partnernetzwerk.nrw.example' })).toEqual([
      `LINK_SECRET: must be set when PUBLIC_BASE_URL ${at}`,
      `PAYLOAD_KEYS: must be set when PUBLIC_BASE_URL ${at}`,
      `CODEC_ADMIN_TOKEN: must be set when PUBLIC_BASE_URL ${at}`,
    ]);
    // The development key does not pass for a production one when named explicitly, nor as an old key.
    const devKey = loadConfig({}).payloadKeys[0]?.key.toString('base64');
    expect(problemsOf({ PUBLIC_BASE_URL: 'https://partnernetzwerk.nrw.example', ...productionSecrets, PAYLOAD_KEYS: `new:${productionKey},old:${devKey}` })).toEqual([
      `PAYLOAD_KEYS: must be set when PUBLIC_BASE_URL ${at}`,
    ]);
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://partnernetzwerk.nrw.example', ...productionSecrets }).linkSecret).toBe(
      'a-long-production-secret',
    );
    expect(loadConfig({ PUBLIC_BASE_URL: 'http://127.0.0.1:3000' }).publicBaseUrl).toBe('http://127.0.0.1:3000');
  });
});

describe('payload keys', () => {
  it('reads a keyring whose first key encrypts', () => {
    const older = Buffer.alloc(32, 1).toString('base64');
    const { payloadKeys } = loadConfig({ PAYLOAD_KEYS: `2027-01:${productionKey}, 2026-01:${older}` });
    expect(payloadKeys.map((key) => [key.id, key.key.toString('base64')])).toEqual([
      ['2027-01', productionKey],
      ['2026-01', older],
    ]);
  });

  it('refuses keys that are not 32 bytes, malformed entries and repeated ids', () => {
    const shortKey = Buffer.alloc(16).toString('base64');
    expect(problemsOf({ PAYLOAD_KEYS: `a:${shortKey}` })).toEqual([
      'PAYLOAD_KEYS: must be a list of id:key, each key 32 bytes in base64 (openssl rand -base64 32)',
    ]);
    expect(problemsOf({ PAYLOAD_KEYS: productionKey })).toEqual([
      'PAYLOAD_KEYS: must be a list of id:key, each key 32 bytes in base64 (openssl rand -base64 32)',
    ]);
    expect(problemsOf({ PAYLOAD_KEYS: `a:${productionKey},a:${productionKey}` })).toEqual(['PAYLOAD_KEYS: key id a appears twice']);
  });

  it('reads retention and the codec endpoint settings', () => {
    const config = loadConfig({ TEMPORAL_RETENTION_DAYS: '90', DATA_RETENTION_YEARS: '6', CODEC_SERVER_PORT: '9000', TEMPORAL_UI_PORT: '8080' });
    expect(config.retention).toEqual({ closedWorkflowDays: 90, dataYears: 6 });
    expect(config.codecServer).toMatchObject({ port: 9000, allowedOrigins: ['http://localhost:8080', 'http://127.0.0.1:8080'] });
    expect(problemsOf({ CODEC_ADMIN_TOKEN: 'short' })).toEqual(['CODEC_ADMIN_TOKEN: must be at least 24 characters']);
  });
});
