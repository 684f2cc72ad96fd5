import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load-config.js';
import { createProviders } from '../../../src/gateway.js';
import { ProviderRegistry } from '../../../src/router/provider-registry.js';
import { resolveModel } from '../../../src/router/resolve-model.js';
import { selectKey } from '../../../src/router/select-key.js';

function registry(providers: Record<string, unknown>): ProviderRegistry {
  const { config, issues } = validateConfig({ providers }, {});
  if (config === undefined) throw new Error(JSON.stringify(issues));
  return new ProviderRegistry(createProviders(config));
}

const key = { keys: [{ value: 'k' }] };

describe('resolveModel', () => {
  it('resolves provider/model, keeping slashes in the model id', () => {
    const providers = registry({ openai: key, openrouter: key });
    expect(resolveModel('openai/gpt-4o-mini', providers)).toMatchObject({ provider: { id: 'openai' }, model: 'gpt-4o-mini' });
    expect(resolveModel('openrouter/anthropic/claude-sonnet-4.5', providers)).toMatchObject({ provider: { id: 'openrouter' }, model: 'anthropic/claude-sonnet-4.5' });
  });

  it('resolves bare names by the provider that natively serves them', () => {
    const providers = registry({ openai: key, mistral: key, openrouter: key });
    expect(resolveModel('gpt-4o-mini', providers).provider.id).toBe('openai');
    expect(resolveModel('mistral-small-latest', providers).provider.id).toBe('mistral');
  });

  it('sends any name to the one catch-all provider', () => {
    const providers = registry({ openai: key, local: { type: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1' } });
    expect(resolveModel('Qwen/Qwen3-8B', providers)).toMatchObject({ provider: { id: 'local' }, model: 'Qwen/Qwen3-8B' });
  });

  it('prefers config model lists and key allow-lists', () => {
    const providers = registry({ groq: { keys: [{ value: 'k', models: ['llama-*'] }] }, together: key });
    expect(resolveModel('llama-3.3-70b-versatile', providers).provider.id).toBe('groq');
  });

  it('says what is available when a name is unknown or ambiguous', () => {
    const providers = registry({ openai: key, azureish: { type: 'openai-compatible', baseUrl: 'http://x/v1', models: ['gpt-4o-mini'] } });
    expect(() => resolveModel('gpt-4o-mini', providers)).toThrow(/served by several providers; name one: openai\/gpt-4o-mini, azureish\/gpt-4o-mini/);
    const two = registry({ groq: key, together: key });
    expect(() => resolveModel('llama-x', two)).toThrowError(expect.objectContaining({ code: 'ambiguous_model', status: 400 }));
    const one = registry({ openai: key });
    expect(() => resolveModel('claude-3', one)).toThrowError(expect.objectContaining({ code: 'model_not_found', status: 404, param: 'model' }));
    expect(() => resolveModel('claude-3', one)).toThrow(/Available: openai\/gpt-4o/);
    expect(() => resolveModel('x', new ProviderRegistry([]))).toThrowError(expect.objectContaining({ code: 'no_providers' }));
  });
});

describe('selectKey', () => {
  const keys = [
    { name: 'a', value: '1', weight: 3, options: {} },
    { name: 'b', value: '2', weight: 1, options: {} },
    { name: 'c', value: '3', weight: 1, models: ['gpt-4o*'], options: {} },
  ];

  it('splits by weight among the keys allowed for the model', () => {
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 20_000; i++) counts[selectKey(keys, 'o3', undefined, random)!.name]!++;
    expect(counts.c).toBe(0);
    expect(counts.a! / 20_000).toBeGreaterThan(0.72);
    expect(counts.a! / 20_000).toBeLessThan(0.78);
  });

  it('skips excluded keys and gives undefined when none is left', () => {
    expect(selectKey(keys, 'o3', new Set(['a']))!.name).toBe('b');
    expect(selectKey(keys, 'o3', new Set(['a', 'b']))).toBeUndefined();
    expect(selectKey([keys[2]!], 'o3')).toBeUndefined();
  });
});
