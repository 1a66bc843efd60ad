import { setTimeout as sleep } from 'node:timers/promises';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { testServerExecutable } from '../temporal/binaries';
import { requestUpdateIdInterceptor } from '../temporal/request-update-ids';
import { searchAttributeRegistrations } from '../../workflows/contracts/search-attributes';

/**
 * The SDK gives a starting time-skipping test server 5 s to answer (sdk-core's ephemeral server:
 * 50 tries 100 ms apart, not configurable), then kills it. A JVM starts in about a second on an
 * idle machine, but on a busy one (stories side by side, two test files, each with its own servers)
 * it can miss that five times in a row when every attempt follows at once. So a start that timed
 * out is tried again after a pause that grows and is spread at random, so that servers started
 * together do not start again together, for up to about a minute and a half.
 */
export async function startingAgainOnTimeout<T>(start: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !/did not start within/.test(error instanceof Error ? error.message : String(error))) throw error;
      await sleep(attempt * 1_000 + Math.random() * 2_000);
    }
  }
}

// temporal.api.enums.v1.IndexedValueType, by the names searchAttributeRegistrations use.
const indexedValueTypes: Record<string, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };

/**
 * A time-skipping test server from the cache (started again on timeout) whose client encodes with
 * `dataConverter`, with our search attributes registered, as every workflow of ours expects them.
 */
export async function startTimeSkippingServer(cacheDir: string, dataConverter: DataConverter): Promise<TestWorkflowEnvironment> {
  const env = await startingAgainOnTimeout(() =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: testServerExecutable(cacheDir) },
      // As the product's clients name a request's Updates (its logging stays out of test output).
      client: { dataConverter, interceptors: { workflow: [requestUpdateIdInterceptor] } },
    }),
  );
  try {
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        searchAttributeRegistrations.map((key) => {
          const type = indexedValueTypes[key.type];
          if (type === undefined) throw new Error(`unknown search attribute type ${key.type}`);
          return [key.name, type];
        }),
      ),
    });
  } catch (error) {
    await env.teardown();
    throw error;
  }
  return env;
}
