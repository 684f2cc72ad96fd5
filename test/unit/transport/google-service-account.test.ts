import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoogleAccessTokenSource } from '../../../src/transport/google-service-account.js';

describe('GoogleAccessTokenSource (JWT bearer grant)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let server: Server;
  let tokenUrl: string;
  const exchanges: Array<Record<string, unknown>> = [];
  let lifetime = 3600;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', async () => {
        const form = new URLSearchParams(body);
        const { payload, protectedHeader } = await jwtVerify(form.get('assertion')!, await importSPKI(spki, 'RS256'), { audience: tokenUrl });
        exchanges.push({ grant: form.get('grant_type'), ...payload, kid: protectedHeader.kid });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ access_token: `token-${exchanges.length}`, expires_in: lifetime, token_type: 'Bearer' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('signs an RS256 assertion the token endpoint can verify, and caches the token', async () => {
    const source = new GoogleAccessTokenSource({ client_email: 'sa@project.iam.gserviceaccount.com', private_key: pem, private_key_id: 'kid-1' }, { tokenUrl });
    const [first, second] = await Promise.all([source.token(), source.token()]);
    expect(first).toBe('token-1');
    expect(second).toBe('token-1');
    expect(await source.token()).toBe('token-1');
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({
      grant: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      iss: 'sa@project.iam.gserviceaccount.com',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      kid: 'kid-1',
    });
  });

  it('refreshes before expiry', async () => {
    exchanges.length = 0;
    lifetime = 60; // shorter than the 5-minute refresh margin: every call refreshes
    const source = new GoogleAccessTokenSource({ client_email: 'sa@x', private_key: pem }, { tokenUrl });
    await source.token();
    await source.token();
    expect(exchanges).toHaveLength(2);
  });
});
