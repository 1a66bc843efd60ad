import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStackArgs } from '../../src/dev/stack';
import { loadTemporalTopology } from '../../src/dev/topology';

describe('npm run stack arguments', () => {
  it('runs the dev topology by default and the production one with --production', () => {
    expect(parseStackArgs([])).toEqual({ topology: 'dev', workers: 1, ownProcessGroup: false });
    expect(parseStackArgs(['--production', '--workers', '3'])).toEqual({ topology: 'production', workers: 3, ownProcessGroup: false });
  });

  it.each([
    [['--production', '--workers', '0'], '--workers: must be a whole number from 1 to 16, not 0'],
    [['--production', '--workers', 'two'], '--workers: must be a whole number from 1 to 16, not two'],
    [['--workers', '2'], '--workers: only with --production (the dev stack runs one worker in its own process)'],
    [['--prod'], "Unknown option '--prod'"],
  ])('refuses %j in one line', (args, message) => {
    expect(() => parseStackArgs(args)).toThrow(message);
  });
});

describe('the Temporal settings read from docker-compose.yml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'partnerflow-compose-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const compose = (temporal: string) => {
    const file = join(dir, `${Math.random()}.yml`);
    writeFileSync(file, `services:\n  temporal:\n${temporal}`);
    return file;
  };

  it('names each setting the file gets wrong', () => {
    const file = compose(
      '    image: temporalio/auto-setup:1.29.1\n    environment:\n      DB: mysql8\n      DBNAME: temporal\n' +
        '      VISIBILITY_DBNAME: temporal_visibility\n      NUM_HISTORY_SHARDS: "0"\n      DEFAULT_NAMESPACE: default\n      DEFAULT_NAMESPACE_RETENTION: 1d\n',
    );
    const error = (() => {
      try {
        loadTemporalTopology(file);
      } catch (caught) {
        return caught instanceof Error ? caught.message : '';
      }
      return 'no error';
    })();
    expect(error.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^services\.temporal\.environment\.DB: /),
      expect.stringMatching(/^services\.temporal\.environment\.NUM_HISTORY_SHARDS: /),
      'services.temporal.environment.DEFAULT_NAMESPACE_RETENTION: must be whole hours, e.g. 24h',
    ]);
  });

  it('refuses an image whose version it cannot read', () => {
    expect(() => loadTemporalTopology(compose('    image: temporalio/auto-setup:latest\n'))).toThrow(
      'services.temporal.image: must be temporalio/auto-setup:<x.y.z>, not temporalio/auto-setup:latest',
    );
  });
});
