// Worker lifecycle chatter drowns test output; warnings and errors still show, through our logger
// (a test that reads logs installs a capturing logger at its own level with useLogger).
import { Runtime } from '@temporalio/worker';
import { createLogger, useLogger } from '../../src/observability/logger';
import { installTemporalRuntime } from '../../src/temporal/runtime';

useLogger(createLogger({ level: 'warn', format: 'json', name: 'test' }));
// Unit files share their processes (vitest.config.ts), and the SDK refuses a second install.
if (!Runtime._instance) installTemporalRuntime();
