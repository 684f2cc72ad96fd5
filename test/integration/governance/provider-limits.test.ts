import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';
import { catalogFile, chatBody, post } from './governance-setup.js';

/*
 * Provider-level limits and access lists across fallback targets: a provider over its limit is
 * skipped for the next target (no upstream call to it), the request slot of a provider that was
 * never tried is given back, and a target the key may not use is never called.
 */

const ADMIN = 'sy-admin-provider-limits';
const KEY = 'sk-sy-fallbacks-0123456789abcdefgh';
const NOT_THIRD = 'sk-sy-not-third-0123456789abcdefg';

describe('provider limits and fallbacks', () => {
  let primary: MockUpstream;
  let backup: MockUpstream;
  let third: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    primary = await new MockUpstream().start();
    primary.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
    backup = await new MockUpstream().start();
    backup.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
    third = await new MockUpstream().start();
    third.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
    gateway = await startTestGateway(
      {
        catalog: { files: [catalogFile()] },
        providers: {
          primary: { type: 'openai', baseUrl: `${primary.url}/v1`, keys: [{ value: 'sk-primary' }] },
          backup: { type: 'openai', baseUrl: `${backup.url}/v1`, keys: [{ value: 'sk-backup' }], retry: { attempts: 0 } },
          third: { type: 'openai', baseUrl: `${third.url}/v1`, keys: [{ value: 'sk-third' }] },
        },
        governance: {
          providerLimits: {
            primary: { rateLimit: { requests: 2, per: '1m' } },
            backup: { rateLimit: { requests: 100, per: '1m' } },
          },
        },
        virtualKeys: [
          { name: 'fallbacks', value: KEY },
          { name: 'not-third', value: NOT_THIRD, denyProviders: ['third'] },
        ],
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN } },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([primary?.stop(), backup?.stop(), third?.stop()]);
  });
  beforeEach(() => {
    primary.reset();
    backup.reset();
    third.reset();
  });

  const providerUsage = async (id: string): Promise<number> => {
    const response = await fetch(`${gateway.url}/api/usage/providers/${id}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    return ((await response.json()) as { rateLimits: Array<{ requests: { remaining: number } }> })
      .rateLimits[0]!.requests.remaining;
  };

  it('gives back the request slot of a fallback provider that was not needed', async () => {
    const response = await post(
      `${gateway.url}/v1/chat/completions`,
      chatBody({ model: 'primary/gpt-4o-mini', fallbacks: ['backup/gpt-4o-mini'] }),
      {
        authorization: `Bearer ${KEY}`,
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-provider')).toBe('primary');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await providerUsage('primary')).toBe(1);
    expect(await providerUsage('backup')).toBe(100);
  });

  it('skips a provider over its limit for the next target, without calling it', async () => {
    await post(`${gateway.url}/v1/chat/completions`, chatBody({ model: 'primary/gpt-4o-mini' }), {
      authorization: `Bearer ${KEY}`,
    });
    primary.reset();
    const response = await post(
      `${gateway.url}/v1/chat/completions`,
      chatBody({ model: 'primary/gpt-4o-mini', fallbacks: ['backup/gpt-4o-mini'] }),
      {
        authorization: `Bearer ${KEY}`,
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-provider')).toBe('backup');
    expect(response.headers.get('x-switchyard-attempt-log')).toMatch(
      /^primary\/gpt-4o-mini:[^,]*:rate_limited:.*, backup\/gpt-4o-mini/,
    );
    expect(primary.requests).toHaveLength(0);
    expect(backup.requests).toHaveLength(1);
  });

  it('refuses with 429 when every target is over its limit', async () => {
    const response = await post(
      `${gateway.url}/v1/chat/completions`,
      chatBody({ model: 'primary/gpt-4o-mini' }),
      { authorization: `Bearer ${KEY}` },
    );
    expect(response.status).toBe(429);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /provider "primary"/,
    );
    expect(primary.requests).toHaveLength(0);
  });

  it('never calls a fallback target the key may not use', async () => {
    const denied = await post(
      `${gateway.url}/v1/chat/completions`,
      chatBody({ model: 'third/gpt-4o-mini' }),
      { authorization: `Bearer ${NOT_THIRD}` },
    );
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('permission_denied');
    backup.on('POST', '/v1/chat/completions', {
      status: 500,
      body: JSON.stringify({ error: { message: 'boom', type: 'server_error' } }),
    });
    const response = await post(
      `${gateway.url}/v1/chat/completions`,
      chatBody({ model: 'backup/gpt-4o-mini', fallbacks: ['third/gpt-4o-mini'] }),
      {
        authorization: `Bearer ${NOT_THIRD}`,
      },
    );
    await response.arrayBuffer();
    expect(response.status).not.toBe(200);
    expect(backup.requests).toHaveLength(1);
    expect(third.requests).toHaveLength(0);
    // Without the deny list the same request falls back to the third provider.
    const allowed = await post(
      `${gateway.url}/v1/chat/completions`,
      chatBody({ model: 'backup/gpt-4o-mini', fallbacks: ['third/gpt-4o-mini'] }),
      {
        authorization: `Bearer ${KEY}`,
      },
    );
    expect(allowed.status).toBe(200);
    expect(third.requests).toHaveLength(1);
  });
});
