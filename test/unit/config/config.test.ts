import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, validateConfig } from '../../../src/config/load-config.js';

describe('config validation', () => {
  it('accepts the DESIGN.md example and applies defaults', () => {
    const { config, issues } = validateConfig(
      {
        providers: {
          openai: { baseUrl: 'http://127.0.0.1:9000/v1', keys: [{ value: 'env.OPENAI_API_KEY', weight: 1, models: ['*'] }] },
          'my-vllm': { type: 'openai-compatible', baseUrl: 'http://10.0.0.5:8000/v1' },
        },
      },
      { OPENAI_API_KEY: 'sk-x' },
    );
    expect(issues).toEqual([]);
    expect(config!.server).toMatchObject({ host: '127.0.0.1', port: 8080, bodyLimit: 20 * 1024 * 1024, shutdownTimeout: 30_000 });
    const [openai, vllm] = config!.providers;
    expect(openai).toMatchObject({ id: 'openai', type: 'openai', origin: 'http://127.0.0.1:9000', basePath: '/v1', keys: [{ name: 'openai-key-1', value: 'sk-x', weight: 1 }] });
    expect(vllm).toMatchObject({ id: 'my-vllm', type: 'openai-compatible', keys: [] });
  });

  it('reports every problem with the path of the bad key', () => {
    const { config, issues } = validateConfig(
      {
        server: { port: 'eighty', bodyLimt: 5 },
        providers: {
          openai: { keys: [{ value: 'env.MISSING_KEY', wieght: 2 }] },
          groq: { baseUrl: 'not a url', keys: [{ value: 'x' }] },
          mystery: { baseUrl: 'http://x' },
          other: { type: 'nonsense' },
          mistral: {},
        },
        extra: true,
      },
      {},
    );
    expect(config).toBeUndefined();
    const paths = issues.map((issue) => `${issue.path}: ${issue.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^providers\.openai\.keys\[0\]\.value: environment variable MISSING_KEY is not set/),
        expect.stringMatching(/^server\.port: /),
        expect.stringMatching(/^server: Unrecognized key: "bodyLimt"/),
        expect.stringMatching(/^\(root\): Unrecognized key: "extra"/),
        expect.stringMatching(/^providers\.groq\.baseUrl: /),
        'providers.mistral.keys: provider type "mistral" needs at least one key',
      ]),
    );
  });

  it('validates providers after the top level and names unknown keys per provider', () => {
    const { issues } = validateConfig(
      {
        providers: {
          openai: { keys: [{ value: 'x', wieght: 2 }] },
          groq: { baseUrl: 'not a url', keys: [{ value: 'x' }] },
          mystery: { baseUrl: 'http://x' },
          other: { type: 'nonsense' },
          mistral: {},
        },
      },
      {},
    );
    const lines = issues.map((issue) => `${issue.path}: ${issue.message}`);
    expect(lines).toEqual([
      'providers.openai.keys[0]: Unrecognized key: "wieght"',
      expect.stringMatching(/^providers\.groq\.baseUrl: /),
      expect.stringMatching(/^providers\.mystery\.type: "mystery" is not a built-in provider, so "type" is required/),
      expect.stringMatching(/^providers\.other\.type: unknown provider type "nonsense"/),
      'providers.mistral.keys: provider type "mistral" needs at least one key',
    ]);
  });

  it('takes providers from the usual environment variables when the file has none', () => {
    const { config } = validateConfig({}, { OPENAI_API_KEY: 'sk-1', GROQ_API_KEY: 'gsk-2', OLLAMA_BASE_URL: '127.0.0.1:11434/v1', UNRELATED: 'x' });
    expect(config!.providersFromEnv).toBe(true);
    expect(config!.providers.map((provider) => [provider.id, provider.keys.map((key) => key.value), provider.baseUrl])).toEqual([
      ['openai', ['sk-1'], 'https://api.openai.com/v1'],
      ['groq', ['gsk-2'], 'https://api.groq.com/openai/v1'],
      ['ollama', [], 'http://127.0.0.1:11434/v1'],
    ]);
  });

  it('reports what a provider itself refuses at creation as a config error (no throw at start)', () => {
    const { config, issues } = validateConfig({ providers: { vertex: { project: 'p' } } }, {});
    expect(config).toBeUndefined();
    expect(issues).toEqual([{ path: 'providers.vertex', message: expect.stringMatching(/needs "serviceAccount"/) }]);
  });

  it('starts with no providers at all', () => {
    const { config, issues } = validateConfig({}, {});
    expect(issues).toEqual([]);
    expect(config!.providers).toEqual([]);
  });

  it('parses durations and sizes', () => {
    const { config } = validateConfig(
      { server: { bodyLimit: '512kb', shutdownTimeout: '5s' }, providers: { openai: { keys: [{ value: 'k' }], timeouts: { connect: '2s', firstByte: 90000, idle: '1m' } } } },
      {},
    );
    expect(config!.server.bodyLimit).toBe(512 * 1024);
    expect(config!.server.shutdownTimeout).toBe(5000);
    expect(config!.providers[0]!.timeouts).toEqual({ connectMs: 2000, headersMs: 90000, idleMs: 60000 });
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-config-'));

  it('reads YAML and JSON files and lets flags and PORT/HOST override', () => {
    const yaml = path.join(dir, 'a.yaml');
    writeFileSync(yaml, 'server:\n  port: 9001\nproviders:\n  groq:\n    keys:\n      - value: env.GROQ_KEY\n');
    const fromYaml = loadConfig({ file: yaml, env: { GROQ_KEY: 'g', PORT: '9100' } });
    expect(fromYaml.server.port).toBe(9100);
    expect(fromYaml.providers[0]!.keys[0]!.value).toBe('g');
    const json = path.join(dir, 'b.json');
    writeFileSync(json, JSON.stringify({ server: { port: 9002 } }));
    expect(loadConfig({ file: json, env: {}, overrides: { port: 9003, host: '0.0.0.0' } }).server).toMatchObject({ port: 9003, host: '0.0.0.0' });
  });

  it('throws a ConfigError listing issues for a broken file', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'providers: [unclosed');
    expect(() => loadConfig({ file: bad, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ file: path.join(dir, 'missing.yaml'), env: {} })).toThrow(/cannot read/);
    expect(() => loadConfig({ env: { PORT: 'abc' } })).toThrow(/not a port number/);
  });
});
