import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { clientLoggingInterceptor } from './client-logging';

/** A client for the configured Temporal frontend; close it with `client.connection.close()`. */
export async function connectClient(temporal: Config['temporal']): Promise<Client> {
  const connection = await Connection.connect({ address: temporal.address });
  return new Client({ connection, namespace: temporal.namespace, interceptors: { workflow: [clientLoggingInterceptor] } });
}
