import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, processLogger, TemporalLogAdapter, useLogger } from '../../src/observability/logger';

function capture(level: 'debug' | 'info' = 'info') {
  const lines: Record<string, unknown>[] = [];
  useLogger(createLogger({ level, format: 'json', name: 'worker', destination: { write: (line: string) => lines.push(JSON.parse(line)) } }));
  return lines;
}

const quiet = processLogger();
afterEach(() => useLogger(quiet));

describe('the process logger', () => {
  it('writes one JSON object per event, with the level by name and an ISO time', () => {
    const lines = capture();
    processLogger().info({ workflowId: 'annual-report/2/2027', partner: 2 }, 'email sent');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', name: 'worker', msg: 'email sent', workflowId: 'annual-report/2/2027', partner: 2 }),
    ]);
    expect(lines[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('the Temporal SDK adapter', () => {
  it("passes the activity context's fields through, without the task token", () => {
    const lines = capture();
    new TemporalLogAdapter().warn('email outcome unknown', { sdkComponent: 'activity', workflowId: 'w', activityType: 'sendNotice', taskToken: 'opaque' });
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'email outcome unknown', workflowId: 'w', activityType: 'sendNotice' })]);
    expect(lines[0]).not.toHaveProperty('taskToken');
  });

  it("keeps the SDK's own INFO chatter for debug, but not what activities and workflows log", () => {
    const atInfo = capture('info');
    const adapter = new TemporalLogAdapter();
    adapter.info('Worker state changed', { sdkComponent: 'worker' });
    adapter.info('email sent', { sdkComponent: 'activity' });
    adapter.info('decided', { sdkComponent: 'workflow' });
    expect(atInfo.map((line) => line.msg)).toEqual(['email sent', 'decided']);
    const atDebug = capture('debug');
    adapter.info('Worker state changed', { sdkComponent: 'worker' });
    expect(atDebug).toEqual([expect.objectContaining({ level: 'debug', msg: 'Worker state changed' })]);
  });

  it('keeps known warnings for debug: a worker without workflows (the documents worker), the test server’s missing capability', () => {
    const lines = capture('info');
    const adapter = new TemporalLogAdapter();
    adapter.warn('No workflows registered, not polling for workflow tasks', { sdkComponent: 'worker', taskQueue: 'partnerflow-documents' });
    adapter.warn('Temporal Server 1.16.0 or newer is required to guarantee that the latest heartbeat details are preserved when an activity fails; …', { sdkComponent: 'core' });
    adapter.warn('Activity failed', { sdkComponent: 'worker' });
    expect(lines.map((line) => [line.level, line.msg])).toEqual([['warn', 'Activity failed']]);
  });
});
