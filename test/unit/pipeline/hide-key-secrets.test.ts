import { describe, expect, it } from 'vitest';
import { hideKeySecrets } from '../../../src/pipeline/hide-key-secrets.js';
import type { ProviderKey } from '../../../src/providers/provider-settings.js';

function key(value: string | undefined, options: Record<string, unknown> = {}): ProviderKey {
  return { name: 'k', weight: 1, options, ...(value === undefined ? {} : { value }) };
}

describe('hiding a provider key in an upstream error', () => {
  it('replaces every occurrence of the key value', () => {
    const secret = 'sk-live-0123456789abcdef';
    expect(
      hideKeySecrets(`{"error":{"message":"Incorrect API key provided: ${secret}. (${secret})"}}`, key(secret)),
    ).toBe('{"error":{"message":"Incorrect API key provided: [redacted]. ([redacted])"}}');
  });

  it('replaces secret type-specific fields, nested ones too, and leaves the others', () => {
    const aws = key(undefined, {
      accessKeyId: 'AKIAEXAMPLEEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG',
      sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN',
      region: 'eu-west-3',
      serviceAccount: { client_email: 'sa@project.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----abc' },
    });
    const text =
      'AKIAEXAMPLEEXAMPLE wJalrXUtnFEMI/K7MDENG FwoGZXIvYXdzEXAMPLETOKEN eu-west-3 sa@project.iam.gserviceaccount.com -----BEGIN PRIVATE KEY-----abc';
    expect(hideKeySecrets(text, aws)).toBe(
      'AKIAEXAMPLEEXAMPLE [redacted] [redacted] eu-west-3 sa@project.iam.gserviceaccount.com [redacted]',
    );
  });

  it('leaves the text alone without a key, or with a key too short to be one', () => {
    expect(hideKeySecrets('abc', undefined)).toBe('abc');
    expect(hideKeySecrets('a bad request', key('bad'))).toBe('a bad request');
  });
});
