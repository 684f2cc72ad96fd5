import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogError } from '../../../src/catalog/load-catalog-file.js';
import { BUILTIN_CATALOG_FILE, ModelCatalog } from '../../../src/catalog/model-catalog.js';
import { validateConfig } from '../../../src/config/load-config.js';

const catalog = ModelCatalog.fromFiles([BUILTIN_CATALOG_FILE]);
const id = (provider: string, model: string, providerId?: string) => {
  const info = catalog.lookup(provider, model, providerId);
  return info === undefined ? undefined : `${info.provider}/${info.id}`;
};

function writeJson(value: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-catalog-'));
  const file = path.join(dir, 'my-models.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('catalog lookups', () => {
  it('dated snapshots, Cohere dates and Vertex @dates resolve to the model', () => {
    expect(id('openai', 'gpt-4o-mini-2024-07-18')).toBe('openai/gpt-4o-mini');
    expect(id('openai', 'gpt-4.1-mini-2099-01-01')).toBe('openai/gpt-4.1-mini');
    expect(id('anthropic', 'claude-sonnet-4-5-20250929')).toBe('anthropic/claude-sonnet-4-5');
    expect(id('vertex-anthropic', 'claude-sonnet-4-5@20250929')).toBe('anthropic/claude-sonnet-4-5');
    expect(id('mistral', 'magistral-medium-2507')).toBe('mistral/magistral-medium-latest');
  });

  it('Bedrock: inference-profile and vendor prefixes, version suffixes', () => {
    for (const model of [
      'anthropic.claude-haiku-4-5-20251001-v1:0',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      'apac.anthropic.claude-haiku-4-5-20251001-v1:0',
      'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    ]) {
      expect(id('bedrock', model)).toBe('anthropic/claude-haiku-4-5');
    }
    expect(id('bedrock', 'us.amazon.nova-pro-v1:0')).toBe('bedrock/amazon.nova-pro-v1:0');
    expect(catalog.resolve('bedrock', 'eu.anthropic.claude-haiku-4-5-20251001-v1:0')?.priceMultiplier).toBe(1.1);
    expect(catalog.resolve('bedrock', 'global.anthropic.claude-haiku-4-5-20251001-v1:0')?.priceMultiplier).toBe(1);
    // Models before Sonnet 4.5 / Haiku 4.5 have no regional premium.
    expect(catalog.resolve('bedrock', 'us.anthropic.claude-sonnet-4-20250514-v1:0')?.priceMultiplier).toBe(1);
  });

  it('Azure and Vertex fall back to the vendor’s entries', () => {
    expect(id('azure', 'gpt-4o-2024-08-06')).toBe('openai/gpt-4o');
    expect(id('azure', 'gpt-35-turbo')).toBe('azure/gpt-35-turbo');
    expect(catalog.lookup('azure', 'gpt-35-turbo')?.pricing).toEqual({ input: 0.5, output: 1.5 });
    expect(id('vertex', 'gemini-2.5-flash')).toBe('gemini/gemini-2.5-flash');
  });

  it('OpenRouter: own entries, then the vendor’s model (dots to dashes for Claude); :free costs nothing', () => {
    expect(id('openrouter', 'anthropic/claude-sonnet-4.5')).toBe('openrouter/anthropic/claude-sonnet-4.5');
    expect(id('openrouter', 'anthropic/claude-haiku-4.5')).toBe('anthropic/claude-haiku-4-5');
    expect(id('openrouter', 'openai/gpt-4o-mini')).toBe('openai/gpt-4o-mini');
    expect(id('openrouter', 'google/gemini-2.5-flash')).toBe('gemini/gemini-2.5-flash');
    expect(catalog.cost('openrouter', 'minimax/minimax-m2:free', { inputTokens: 1000, outputTokens: 1000 })).toBe(0);
    expect(catalog.cost('openrouter', 'unknownlab/some-model', { inputTokens: 1000, outputTokens: 1000 })).toBeNull();
  });

  it('every built-in entry prices text or says why not, and dates are ISO dates', () => {
    for (const model of catalog.list()) {
      if (model.pricing === undefined) expect(model.notes, `${model.provider}/${model.id}`).toBeTruthy();
      if (model.pricing !== undefined && model.pricesAsOf === undefined) expect(model.notes, `${model.provider}/${model.id}`).toMatch(/not re-read|reproduce/);
    }
  });
});

describe('user catalog files', () => {
  it('extend and override the built-in catalog; entries can be keyed by provider id', () => {
    const file = writeJson({
      models: [
        { provider: 'openai', id: 'gpt-4o', pricing: { input: 1, output: 2 }, pricesAsOf: '2026-11-01' },
        { provider: 'my-vllm', id: 'llama-3.1-8b', pricing: { input: 0, output: 0 }, notes: 'our own GPUs' },
        { provider: 'azure', id: 'prod-chat', sameAs: 'openai/gpt-4o-mini' },
      ],
    });
    const merged = ModelCatalog.fromFiles([BUILTIN_CATALOG_FILE, file]);
    expect(merged.cost('openai', 'gpt-4o', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(3);
    // Provider id first, then type: a self-hosted model priced at zero on purpose is 0, not unknown.
    expect(merged.cost('openai-compatible', 'llama-3.1-8b', { inputTokens: 10, outputTokens: 10 }, 'my-vllm')).toBe(0);
    expect(merged.cost('openai-compatible', 'llama-3.1-8b', { inputTokens: 10, outputTokens: 10 })).toBeNull();
    // An Azure deployment name priced like the model behind it.
    expect(merged.cost('azure', 'prod-chat', { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(0.15, 12);
    expect(merged.lookup('azure', 'prod-chat')?.contextWindow).toBe(128000);
  });

  it('a bad file is an error naming the file and the path of every problem', () => {
    const file = writeJson({ models: [{ provider: 'openai', id: 'x', pricing: { input: -1, outptu: 2 } }, { id: 'y' }] });
    expect(() => ModelCatalog.fromFiles([file])).toThrow(CatalogError);
    try {
      ModelCatalog.fromFiles([file]);
    } catch (error) {
      const issues = (error as CatalogError).issues.map((issue) => `${path.basename(issue.file)} ${issue.path}`);
      expect(issues).toEqual(expect.arrayContaining(['my-models.json models[0].pricing.input', 'my-models.json models[0].pricing', 'my-models.json models[1].provider']));
    }
  });

  it('config validation reports bad catalog files (what `switchyard validate` prints)', () => {
    const bad = writeJson({ models: [{ provider: 'openai', id: 'gpt-4o', pricing: { input: 'cheap', output: 1 } }] });
    const { issues } = validateConfig({ catalog: { files: [bad] }, providers: {} }, {});
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('catalog.files[0]');
    expect(issues[0]!.message).toContain(bad);
    expect(issues[0]!.message).toContain('models[0].pricing.input');
    const missing = validateConfig({ catalog: { files: ['/nonexistent/models.json'] }, providers: {} }, {});
    expect(missing.issues[0]!.message).toContain('cannot read');
  });

  it('catalog files are relative to the config file', () => {
    const file = writeJson({ models: [] });
    const { config, issues } = validateConfig({ catalog: { files: ['my-models.json'] }, providers: {} }, {}, path.join(path.dirname(file), 'switchyard.yaml'));
    expect(issues).toEqual([]);
    expect(config!.catalog.files).toEqual([file]);
  });
});
