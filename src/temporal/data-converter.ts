import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { PayloadEncryptionCodec, type ErasedPolicy, type PartnerDataKeys } from './codec';

/**
 * The source file, from the sources (src/temporal/) and from the compiled CLI (dist/cli/) alike:
 * webpack bundles it with the workflows, which are sources too. A path that differed between the
 * two made the compiled worker reject the bundle `npm run provision` (or the Docker image) had
 * cached, and bundle anew for seconds before its first poll.
 */
export const failureConverterPath = fileURLToPath(new URL('../../src/temporal/failure-converter.ts', import.meta.url));

/**
 * The data converter of every client and worker: encrypted payloads and encoded failures.
 * Without `partnerKeys` (no database at hand) partner workflows' payloads use the keyring too:
 * still encrypted, but not erasable per partner, so the product always passes them.
 */
export function partnerflowDataConverter(options: {
  payloadKeys: Config['payloadKeys'];
  partnerKeys?: PartnerDataKeys;
  onErased?: ErasedPolicy;
}): DataConverter {
  return {
    payloadCodecs: [new PayloadEncryptionCodec(options.payloadKeys, options)],
    failureConverterPath,
  };
}
