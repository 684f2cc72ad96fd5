import { generateKeyPairSync } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { MockUpstream } from './mock-upstream.js';

/** A Google service account key, as the JSON file Google issues holds it. */
export interface ServiceAccountKey {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
}

export interface MockGoogleOAuth {
  /** The token endpoint (the service account's token_uri, or a provider's `tokenUrl`). */
  tokenUrl: string;
  serviceAccount: ServiceAccountKey;
  /** Access tokens issued so far ("ya29.token-1", "ya29.token-2", ...). */
  issued: string[];
  stop(): Promise<void>;
}

/**
 * A Google OAuth2 token endpoint for one freshly made service account: it verifies the JWT
 * bearer assertion (RFC 7523) with the account's public key — signature, issuer, audience and
 * scope — and issues an access token, as oauth2.googleapis.com does.
 */
export async function startMockGoogleOAuth(projectId = 'sa-project'): Promise<MockGoogleOAuth> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccount: ServiceAccountKey = {
    type: 'service_account',
    project_id: projectId,
    private_key_id: 'kid-matrix',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: `gateway@${projectId}.iam.gserviceaccount.com`,
  };
  const verifier = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
  const server = await new MockUpstream().start();
  const tokenUrl = `${server.url}/token`;
  const issued: string[] = [];
  server.on('POST', '/token', async (request) => {
    const form = new URLSearchParams(request.body);
    try {
      const { payload } = await jwtVerify(form.get('assertion') ?? '', verifier, { audience: tokenUrl, issuer: serviceAccount.client_email });
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || payload.scope !== 'https://www.googleapis.com/auth/cloud-platform') throw new Error('wrong grant or scope');
    } catch {
      return { status: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }) };
    }
    const token = `ya29.token-${issued.length + 1}`;
    issued.push(token);
    return { status: 200, body: JSON.stringify({ access_token: token, expires_in: 3600, token_type: 'Bearer' }) };
  });
  return { tokenUrl, serviceAccount, issued, stop: () => server.stop() };
}
