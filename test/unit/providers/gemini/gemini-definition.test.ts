import { describe, expect, it } from 'vitest';
import { providersFromEnvironment } from '../../../../src/config/env-providers.js';
import { validateConfig } from '../../../../src/config/load-config.js';
import { createProviders } from '../../../../src/gateway.js';

describe('gemini and vertex provider definitions', () => {
  it('GEMINI_API_KEY (or GOOGLE_API_KEY) adds the gemini provider without a config file', () => {
    expect(providersFromEnvironment({ GEMINI_API_KEY: 'AIza-1' })).toMatchObject({ gemini: { keys: [{ name: 'gemini-api-key', value: 'AIza-1' }] } });
    expect(providersFromEnvironment({ GOOGLE_API_KEY: 'AIza-2', GEMINI_BASE_URL: 'http://127.0.0.1:9/v1beta' })).toMatchObject({
      gemini: { baseUrl: 'http://127.0.0.1:9/v1beta', keys: [{ value: 'AIza-2' }] },
    });
  });

  it('bare Gemini model names resolve by pattern; OpenAI embedding names do not', () => {
    const { config } = validateConfig({ dataDir: '/tmp/x', providers: { gemini: { keys: [{ value: 'k' }] } } }, {});
    const [gemini] = createProviders(config!);
    for (const model of ['gemini-2.5-flash', 'gemma-3-27b-it', 'gemini-embedding-001', 'embedding-001']) expect(gemini!.servesModel(model)).toBe(true);
    for (const model of ['gpt-4o', 'text-embedding-3-small']) expect(gemini!.servesModel(model)).toBe(false);
    expect(gemini!.listModels()).toContain('gemini-2.5-flash');
  });

  it('vertex needs a project (or a key with project_id) and credentials; unknown fields are rejected', () => {
    const issues = validateConfig({ dataDir: '/tmp/x', providers: { vertex: { location: 'us-central1', serviceAccount: { client_email: 'a@b', private_key: 'x' } } } }, {}).issues;
    expect(issues.map((issue) => issue.path)).toEqual(['providers.vertex']);
    expect(issues[0]!.message).toMatch(/location/);
    // What the provider refuses when it is created is reported by validation, as a config error.
    const noProject = validateConfig({ dataDir: '/tmp/x', providers: { vertex: { serviceAccount: { client_email: 'a@b', private_key: 'x' } } } }, {}).issues;
    expect(noProject).toEqual([{ path: 'providers.vertex', message: expect.stringMatching(/needs "project"/) }]);
    const noCredentials = validateConfig({ dataDir: '/tmp/x', providers: { vertex: { project: 'p' } } }, {}).issues;
    expect(noCredentials).toEqual([{ path: 'providers.vertex', message: expect.stringMatching(/needs "serviceAccount"/) }]);
  });
});
