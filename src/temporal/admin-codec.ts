import type { Config } from '../config';
import type { DbOrTx } from '../db/client';
import { partnerDataKeyStore } from '../db/queries/partner-data-keys';
import { PayloadEncryptionCodec } from './codec';

/**
 * The codec an admin reads histories with: the server's keys, and an erased partner's data as a
 * readable `{ erased }` marker instead of a failure. The workflow pages, the codec endpoint and the
 * CLI's history read the same way.
 */
export function adminReadingCodec(deps: { db: DbOrTx; config: Pick<Config, 'payloadKeys'> }): PayloadEncryptionCodec {
  return new PayloadEncryptionCodec(deps.config.payloadKeys, { partnerKeys: partnerDataKeyStore(deps.db, deps.config.payloadKeys), onErased: 'marker' });
}
