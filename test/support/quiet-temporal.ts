// Worker lifecycle chatter drowns test output; warnings and errors still show, through our logger
// (a test that reads logs installs a capturing logger at its own level with useLogger).
import { createLogger, useLogger } from '../../src/observability/logger';
import { installTemporalRuntime } from '../../src/temporal/runtime';

useLogger(createLogger({ level: 'warn', format: 'json', name: 'test' }));
installTemporalRuntime();
