import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { clientLoggingInterceptor } from './client-logging';
import type { PartnerDataKeys } from './codec';
import { partnerflowDataConverter } from './data-converter';
import { requestUpdateIdInterceptor } from './request-update-ids';

/** What every client of ours does besides calling: log starts and Updates, name a request's Updates by its key. */
export const clientInterceptors = { workflow: [clientLoggingInterceptor, requestUpdateIdInterceptor] };

/**
 * A client for the configured Temporal frontend, encrypting what it sends and decrypting what it
 * reads (partner workflows with the partner's data key), with clientInterceptors; close it with
 * `client.connection.close()`.
 */
export async function connectClient(
  config: Pick<Config, 'temporal' | 'payloadKeys'>,
  partnerKeys: PartnerDataKeys,
): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: partnerflowDataConverter({ payloadKeys: config.payloadKeys, partnerKeys }),
    interceptors: clientInterceptors,
  });
}
