import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServiceAccount } from '../../../../src/providers/vertex-anthropic/load-service-account.js';

const key = { type: 'service_account', client_email: 'sa@p.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n', project_id: 'p' };

describe('loadServiceAccount', () => {
  it('takes an inline object, JSON text (an env reference) or a key file path', () => {
    expect(loadServiceAccount(key, 'x')).toEqual(key);
    expect(loadServiceAccount(JSON.stringify(key), 'x')).toEqual(key);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sa-')), 'key.json');
    writeFileSync(file, JSON.stringify(key));
    expect(loadServiceAccount(file, 'x')).toEqual(key);
  });

  it('says what is wrong and where', () => {
    expect(() => loadServiceAccount('/nonexistent/key.json', 'providers.vertex.serviceAccount')).toThrow('providers.vertex.serviceAccount: cannot read the service account key file "/nonexistent/key.json" (ENOENT)');
    expect(() => loadServiceAccount('{"client_email": ', 'here')).toThrow('here: the service account key is not valid JSON');
    expect(() => loadServiceAccount({ client_email: 'a' }, 'here')).toThrow('here: a service account key needs client_email and private_key');
  });
});
