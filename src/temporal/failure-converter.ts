// Loaded by path: the SDK `require()`s it in the worker and bundles it into the workflow sandbox,
// so it holds no TypeScript-only syntax (Node loads it as plain JavaScript) and imports nothing of ours.
import { DefaultFailureConverter } from '@temporalio/common';

/** Failure messages and stack traces become payloads, so the codec encrypts them like any other. */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
