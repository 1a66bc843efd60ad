import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { PayloadEncryptionCodec, type ErasedPolicy, type PartnerDataKeys } from './codec';

/** Next to this file, in source (.ts) and compiled (.js) form alike. */
export const failureConverterPath = fileURLToPath(
  new URL(`./failure-converter${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

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
