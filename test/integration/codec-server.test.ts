/** The codec endpoint the Web UI and `temporal --codec-endpoint` decode histories through: admins only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config';
import { partnerDataKeyStore } from '../../src/db/queries/partner-data-keys';
import { createCodecApp, startCodecServer, type CodecServer } from '../../src/http/codec-server';
import { PayloadEncryptionCodec } from '../../src/temporal/codec';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePorts } from '../support/ports';
import { seedPartnerWithContacts } from '../support/privacy';

const report = { author: 'Petra Schmidt', narrative: 'Interkulturelle Schulungen für alle Führungskräfte' };
const jsonPayload = (value: unknown) => ({
  metadata: { encoding: Buffer.from('json/plain').toString('base64') },
  data: Buffer.from(JSON.stringify(value)).toString('base64'),
});
const webUi = 'http://localhost:8233';

let database: TestDatabase;
let config: Config;
let server: CodecServer;

beforeAll(async () => {
  database = await createTestDatabase();
  config = loadConfig({ DATABASE_URL: database.url, CODEC_ADMIN_TOKEN: 'an-admin-token-for-this-test-only' });
  const [port] = await freePorts(1);
  server = await startCodecServer({ config, db: database.db, port, tokenInPath: true });
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: webUi, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { payloads: ReturnType<typeof jsonPayload>[] } };
}
const asAdmin = { Authorization: 'Bearer an-admin-token-for-this-test-only' };

describe('codec endpoint', () => {
  it('encodes and decodes back to the same payloads for an admin', async () => {
    const input = { payloads: [jsonPayload(report), jsonPayload('Kreis Lippe')] };
    const encoded = await post(`${server.url}/encode`, input, asAdmin);
    expect(encoded.status).toBe(200);
    const sealed = encoded.body.payloads.map((payload) => Buffer.from(payload.data ?? '', 'base64').toString('latin1'));
    expect(sealed.join()).not.toContain('Petra Schmidt');
    expect(encoded.body.payloads.map((p) => Buffer.from(p.metadata?.encoding ?? '', 'base64').toString())).toEqual([
      'binary/encrypted',
      'binary/encrypted',
    ]);

    const decoded = await post(`${server.url}/decode`, encoded.body, asAdmin);
    expect(decoded.status).toBe(200);
    expect(decoded.body).toEqual(input);
    // The browser may read it: the Web UI's origin, with credentials.
    expect(decoded.headers.get('access-control-allow-origin')).toBe(webUi);
    expect(decoded.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('refuses to decode or encode without an admin credential', async () => {
    const encoded = await post(`${server.url}/encode`, { payloads: [jsonPayload(report)] }, asAdmin);
    const anonymous = await post(`${server.url}/decode`, encoded.body);
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous.body)).not.toContain('Petra');
    expect((await post(`${server.url}/decode`, encoded.body, { Authorization: 'Bearer wrong-token-of-the-same-size!!' })).status).toBe(401);
    expect((await post(`${server.url}/encode`, { payloads: [jsonPayload(report)] })).status).toBe(401);
    expect((await post(`${server.url}/decode`, encoded.body, { Authorization: 'an-admin-token-for-this-test-only' })).status).toBe(401);
  });

  it('answers the Web UI preflight without credentials, for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace,authorization' },
      });
    const allowed = await preflight(webUi);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(webUi);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const stranger = await preflight('https://evil.example');
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('decodes for the dev Web UI through the path that carries the token, and for no other path', async () => {
    if (!server.uiEndpoint) throw new Error('no UI endpoint');
    const encoded = await post(`${server.url}/encode`, { payloads: [jsonPayload(report)] }, asAdmin);
    const decoded = await post(`${server.uiEndpoint}/decode`, encoded.body);
    expect(decoded.status).toBe(200);
    expect(decoded.body).toEqual({ payloads: [jsonPayload(report)] });
    expect((await post(`${server.url}/not-the-token/decode`, encoded.body)).status).toBe(401);
  });

  it('decodes what a worker sealed with a partner data key', async () => {
    await seedPartnerWithContacts(database.db, { number: 7 });
    const workerCodec = new PayloadEncryptionCodec(config.payloadKeys, { partnerKeys: partnerDataKeyStore(database.db, config.payloadKeys) });
    const [sealed] = await workerCodec.encode(
      [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(report)) }],
      { type: 'workflow', namespace: 'default', workflowId: 'annual-report/7/2027' },
    );
    if (!sealed) throw new Error('nothing sealed');
    expect(Buffer.from(sealed.metadata?.['encryption-key-id'] ?? '').toString()).toMatch(/^partner\/7\/\d+$/);
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(sealed.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
          data: Buffer.from(sealed.data ?? []).toString('base64'),
        },
      ],
    };
    expect((await post(`${server.url}/decode`, body, asAdmin)).body).toEqual({ payloads: [jsonPayload(report)] });
  });

  it('answers 403 to a signed-in user who is not an admin (the web server\'s sessions)', async () => {
    const app = createCodecApp({
      codec: new PayloadEncryptionCodec(config.payloadKeys),
      allowedOrigins: [webUi],
      verifyAdmin: (request) => (request.headers.get('cookie') === 'session=admin' ? 'admin' : 'forbidden'),
    });
    const request = (cookie: string) =>
      app.request('/decode', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ payloads: [] }) });
    expect((await request('session=staff')).status).toBe(403);
    expect((await request('session=admin')).status).toBe(200);
  });

  it('rejects a body that is not the protocol\'s shape with the field named', async () => {
    const response = await post(`${server.url}/decode`, { payloads: [{ data: 'not base64!' }] }, asAdmin);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('payloads[0].data');
  });
});
