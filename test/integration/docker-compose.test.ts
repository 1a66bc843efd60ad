import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { TypedSearchAttributes } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { configVariables, loadConfig } from '../../src/config';
import { standardServerPorts } from '../../src/dev/temporal-postgres';
import { loadTemporalTopology } from '../../src/dev/topology';
import { startOpsServer } from '../../src/observability/ops-server';
import { temporalServerVersion } from '../../src/temporal/binaries';
import { searchAttributeRegistrations } from '../../workflows/contracts/search-attributes';
import { freePorts } from '../support/ports';

// No Docker engine runs where the tests run: these check the file's wiring, not the containers.

const serviceSchema = z.object({
  image: z.string().optional(),
  build: z.unknown().optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  ports: z.array(z.string()).optional(),
  depends_on: z.union([z.array(z.string()), z.record(z.string(), z.object({ condition: z.string() }))]).optional(),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
});
const compose = z
  .object({ services: z.record(z.string(), serviceSchema) })
  .parse(parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }));
const services = compose.services;

/** Mailpit's SMTP port when MP_SMTP_BIND_ADDR is not set. */
const mailpitSmtpPort = 1025;
/** The port PostgreSQL listens on inside the official image. */
const postgresPort = 5432;

function service(name: string) {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** The environment as Compose would hand it over: `${VAR:-default}` becomes its default. */
function environment(name: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service(name).environment ?? {}).map(([key, value]) => [
      key,
      String(value).replace(/\$\{[A-Z_]+(?::?-([^}]*))?\}/g, (_, fallback: string | undefined) => fallback ?? ''),
    ]),
  );
}

function containerPorts(name: string): number[] {
  return (service(name).ports ?? []).map((mapping) => Number(mapping.split(':').at(-1)));
}

const ourServices = Object.entries(services).filter(([, s]) => s.build !== undefined).map(([name]) => name);

describe('docker-compose.yml', () => {
  it('has the database, Temporal with its UI, the mail server and our worker', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'temporal', 'temporal-setup', 'temporal-ui', 'mailpit', 'worker']),
    );
    expect(ourServices).toEqual(['worker', 'documents-worker']);
  });

  it('sets only variables src/config.ts reads on our services, and values it accepts', () => {
    for (const name of ourServices) {
      const env = environment(name);
      expect(Object.keys(env).filter((key) => !(configVariables as string[]).includes(key)), name).toEqual([]);
      expect(() => loadConfig(env), name).not.toThrow();
    }
  });

  it('runs typesetting in a worker of its own, on the queue and database of the others', () => {
    expect(loadConfig(environment('worker')).worker.role).toBe('workflows');
    expect(loadConfig(environment('documents-worker')).worker.role).toBe('documents');
    const documents = loadConfig(environment('documents-worker'));
    const workflows = loadConfig(environment('worker'));
    expect({ ...documents, worker: workflows.worker }).toEqual(workflows);
  });

  it('points TEMPORAL_ADDRESS at the temporal service’s frontend port, for the worker and the tools alike', () => {
    const temporalPort = 7233;
    expect(containerPorts('temporal')).toContain(temporalPort);
    for (const name of ['worker', 'temporal-setup', 'temporal-ui']) {
      expect(environment(name).TEMPORAL_ADDRESS, name).toBe(`temporal:${temporalPort}`);
    }
    expect(loadConfig(environment('worker')).temporal.address).toBe(`temporal:${temporalPort}`);
  });

  it('sends mail to Mailpit’s SMTP port', () => {
    expect(containerPorts('mailpit')).toContain(mailpitSmtpPort);
    expect(environment('mailpit').MP_SMTP_BIND_ADDR).toBeUndefined();
    const smtp = new URL(loadConfig(environment('worker')).smtp.url);
    expect([smtp.hostname, Number(smtp.port)]).toEqual(['mailpit', mailpitSmtpPort]);
  });

  it('connects the worker and Temporal to the postgres service with its credentials', () => {
    const pg = environment('postgres');
    const database = new URL(environment('worker').DATABASE_URL ?? '');
    expect({
      host: database.hostname,
      port: Number(database.port),
      user: database.username,
      password: database.password,
      name: database.pathname.slice(1),
    }).toEqual({ host: 'postgres', port: postgresPort, user: pg.POSTGRES_USER, password: pg.POSTGRES_PASSWORD, name: pg.POSTGRES_DB });

    const temporal = environment('temporal');
    expect(temporal).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgres',
      DB_PORT: String(postgresPort),
      POSTGRES_USER: pg.POSTGRES_USER,
      POSTGRES_PWD: pg.POSTGRES_PASSWORD,
    });
  });

  it('registers every search attribute our workflows set, with its type', () => {
    const command = [service('temporal-setup').command ?? []].flat().join('\n');
    for (const { name, type } of searchAttributeRegistrations) {
      expect(command).toContain(`${name}=${TypedSearchAttributes.toMetadataType(type)}`);
    }
  });

  describe('is what `npm run stack` runs without Docker', () => {
    const topology = loadTemporalTopology('docker-compose.yml');

    it('with the Temporal server version the provisioning builds, in every Temporal image', () => {
      expect(topology.serverVersion).toBe(temporalServerVersion);
      expect(service('temporal-setup').image).toMatch(new RegExp(`^temporalio/admin-tools:${temporalServerVersion.replace(/\./g, '\\.')}-`));
    });

    it('with the databases, shards, namespace and retention the file sets for auto-setup', () => {
      expect(topology).toEqual({
        serverVersion: temporalServerVersion,
        sqlPlugin: environment('temporal').DB,
        databases: { history: environment('temporal').DBNAME, visibility: environment('temporal').VISIBILITY_DBNAME },
        historyShards: Number(environment('temporal').NUM_HISTORY_SHARDS),
        namespace: environment('temporal').DEFAULT_NAMESPACE,
        retentionHours: Number(environment('temporal').DEFAULT_NAMESPACE_RETENTION?.replace(/h$/, '')),
      });
    });

    it('in the namespace the worker uses and temporal-setup registers the search attributes in', () => {
      expect(loadConfig(environment('worker')).temporal.namespace).toBe(topology.namespace);
      expect(loadConfig({}).temporal.namespace).toBe(topology.namespace);
      expect([service('temporal-setup').command ?? []].flat().join('\n')).toContain(`--namespace ${topology.namespace} `);
    });

    it('with the task queue the stack’s workers poll by default', () => {
      expect(loadConfig(environment('worker')).temporal.taskQueue).toBe(loadConfig({}).temporal.taskQueue);
    });

    it('on service ports below 32768, which Temporal stores as smallint', () => {
      const ports = Object.values(standardServerPorts(Number(loadConfig({}).temporal.address.split(':')[1])));
      expect(ports.filter((port) => port >= 32_768)).toEqual([]);
      expect(new Set(ports).size).toBe(ports.length);
    });
  });

  it('lets services depend only on services that exist', () => {
    for (const [name, s] of Object.entries(services)) {
      const dependencies = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      expect(dependencies.filter((dependency) => !(dependency in services)), name).toEqual([]);
    }
  });

  it('checks the worker’s health on its liveness endpoint, on the port it serves metrics on', () => {
    const { metricsPort } = loadConfig(environment('worker'));
    expect(containerPorts('worker')).toContain(metricsPort);
    const check = service('worker').healthcheck?.test ?? [];
    expect(check.slice(0, 2)).toEqual(['CMD', 'node']);
    expect(check.join(' ')).toContain(`http://127.0.0.1:${metricsPort}/healthz`);
  });

  it('has a healthcheck command that passes against a live worker endpoint and fails without one', async () => {
    const { metricsPort } = loadConfig(environment('worker'));
    const [command = '', ...args] = (service('worker').healthcheck?.test ?? []).slice(1);
    const [port] = await freePorts(1);
    // The same command, pointed at a free port of this machine instead of the container's.
    const pointed = args.map((arg) => arg.replace(`:${metricsPort}/`, `:${port}/`));
    const exitCode = () => new Promise<number | null>((resolve) => execFile(command, pointed, (error) => resolve(error ? (error.code as number) : 0)));
    expect(await exitCode()).toBe(1);
    const server = await startOpsServer({ port: port ?? 0, host: '127.0.0.1', registry: new Registry(), readiness: {} });
    try {
      expect(await exitCode()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('builds the worker from a Dockerfile that migrates, then runs the worker through the package’s bin', () => {
    expect(existsSync('Dockerfile')).toBe(true);
    const cmd = readFileSync('Dockerfile', 'utf8').match(/^CMD (.+)$/m)?.[1] ?? '';
    const bin = z.object({ bin: z.object({ partnerflow: z.string() }) }).parse(JSON.parse(readFileSync('package.json', 'utf8'))).bin.partnerflow;
    expect(existsSync(bin)).toBe(true);
    expect(cmd).toContain(`node ${bin} migrate && exec node ${bin} worker`);
  });
});
