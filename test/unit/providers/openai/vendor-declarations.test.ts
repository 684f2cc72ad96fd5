import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChatRequest, Warning } from '../../../../src/core/index.js';
import { validateConfig } from '../../../../src/config/load-config.js';
import { COMPATIBLE_QUIRKS, type OpenAiQuirks } from '../../../../src/providers/openai/openai-quirks.js';
import { COMPATIBLE_VENDORS, OPENAI } from '../../../../src/providers/openai-compatible/vendors.js';
import type { Provider } from '../../../../src/providers/provider.js';
import { getProviderDefinition } from '../../../../src/providers/registry.js';

/*
 * Every OpenAI-dialect vendor declaration, checked against a table written out by hand here (so a
 * changed declaration must change this table, and docs/providers/openai-compatible.md, on
 * purpose): default base URL, key requirement, auth header, endpoints and quirks. Then the one
 * adapter is driven with a request that touches every quirk, on the canonical and the passthrough
 * path, and must honour each declared quirk — and nothing else.
 */

interface Expected {
  baseUrl: string | undefined;
  requiresKey: boolean;
  embeddings: boolean;
  /** False: completions are emulated through chat. */
  completions: boolean;
  rerank: boolean;
  /** Differences from COMPATIBLE_QUIRKS (OpenAI's from nothing: its quirks are listed whole). */
  quirks: Partial<OpenAiQuirks>;
  /** The vendor never takes forwarded bytes. */
  noPassthrough?: boolean;
}

const ALL = { embeddings: true, completions: true, rerank: false };
const CHAT_ONLY = { embeddings: false, completions: false, rerank: false };
const KEYED = { requiresKey: true };
const LOCAL = { requiresKey: false, ...ALL };

const EXPECTED: Record<string, Expected> = {
  openai: {
    baseUrl: 'https://api.openai.com/v1',
    ...KEYED,
    ...ALL,
    quirks: {
      maxTokensField: 'max_completion_tokens',
      developerRole: true,
      reasoningEffort: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'],
    },
  },
  groq: {
    baseUrl: 'https://api.groq.com/openai/v1',
    ...KEYED,
    ...CHAT_ONLY,
    quirks: { reasoningEffort: ['none', 'default', 'low', 'medium', 'high'], unsupported: ['logprobs', 'top_logprobs', 'logit_bias'] },
  },
  mistral: {
    baseUrl: 'https://api.mistral.ai/v1',
    ...KEYED,
    ...ALL,
    completions: false,
    quirks: { streamOptions: false, requiredToolChoice: 'any', seedField: 'random_seed', unsupported: ['logprobs', 'top_logprobs', 'logit_bias', 'user', 'service_tier'] },
    noPassthrough: true,
  },
  xai: { baseUrl: 'https://api.x.ai/v1', ...KEYED, ...CHAT_ONLY, quirks: { reasoningEffort: ['low', 'high'] } },
  deepseek: {
    baseUrl: 'https://api.deepseek.com/v1',
    ...KEYED,
    ...CHAT_ONLY,
    quirks: { unsupported: ['logit_bias', 'n', 'service_tier'], reasoningEffort: ['low', 'medium', 'high'] },
  },
  together: { baseUrl: 'https://api.together.xyz/v1', ...KEYED, ...ALL, rerank: true, quirks: { topK: true } },
  fireworks: { baseUrl: 'https://api.fireworks.ai/inference/v1', ...KEYED, ...ALL, quirks: { topK: true, reasoningEffort: ['low', 'medium', 'high'] } },
  cerebras: {
    baseUrl: 'https://api.cerebras.ai/v1',
    ...KEYED,
    ...ALL,
    embeddings: false,
    quirks: { unsupported: ['frequency_penalty', 'presence_penalty', 'logit_bias', 'service_tier'], reasoningEffort: ['low', 'medium', 'high'] },
  },
  perplexity: {
    baseUrl: 'https://api.perplexity.ai',
    ...KEYED,
    ...CHAT_ONLY,
    quirks: { topK: true, unsupported: ['tools', 'tool_choice', 'parallel_tool_calls', 'logprobs', 'top_logprobs', 'logit_bias', 'n', 'seed', 'service_tier'] },
  },
  openrouter: {
    baseUrl: 'https://openrouter.ai/api/v1',
    ...KEYED,
    ...ALL,
    quirks: { topK: true, reasoningEffort: ['minimal', 'low', 'medium', 'high'], reasoningInput: 'reasoning' },
  },
  nebius: { baseUrl: 'https://api.studio.nebius.com/v1', ...KEYED, ...ALL, quirks: { topK: true } },
  huggingface: { baseUrl: 'https://router.huggingface.co/v1', ...KEYED, ...CHAT_ONLY, quirks: {} },
  ollama: { baseUrl: 'http://127.0.0.1:11434/v1', ...LOCAL, quirks: { topK: true } },
  vllm: { baseUrl: 'http://127.0.0.1:8000/v1', ...LOCAL, rerank: true, quirks: { topK: true, reasoningInput: 'reasoning_content' } },
  sglang: { baseUrl: 'http://127.0.0.1:30000/v1', ...LOCAL, quirks: { topK: true } },
  lmstudio: { baseUrl: 'http://127.0.0.1:1234/v1', ...LOCAL, quirks: { topK: true } },
  'openai-compatible': { baseUrl: undefined, ...LOCAL, quirks: {} },
};

const VENDORS = [OPENAI, ...COMPATIBLE_VENDORS];
const TYPES = VENDORS.map((vendor) => vendor.type);

function effectiveQuirks(type: string): OpenAiQuirks {
  return { ...COMPATIBLE_QUIRKS, ...EXPECTED[type]!.quirks };
}

/** A provider of the type as the config builds it; the generic type gets a base URL. */
function provider(type: string, options: { key?: boolean; passthrough?: boolean } = {}): Provider {
  const entry = {
    type,
    ...(type === 'openai-compatible' ? { baseUrl: 'http://10.0.0.5:8000/v1' } : {}),
    ...(options.key === false ? {} : { keys: [{ name: 'main', value: 'sk-secret' }] }),
    ...(options.passthrough === undefined ? {} : { passthrough: options.passthrough }),
  };
  const { config, issues } = validateConfig({ providers: { [`my-${type}`]: entry } }, {});
  if (config === undefined) throw new Error(JSON.stringify(issues));
  return getProviderDefinition(type)!.create(config.providers[0]!);
}

function baseUrlOf(type: string): string {
  return EXPECTED[type]!.baseUrl ?? 'http://10.0.0.5:8000/v1';
}

/** A request that touches every declared quirk. */
const EVERYTHING: ChatRequest = {
  model: 'some-model',
  stream: true,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }], developer: true },
    { role: 'user', content: [{ type: 'text', text: 'hi' }] },
    { role: 'assistant', content: [{ type: 'reasoning', text: 'a greeting' }, { type: 'text', text: 'hello' }] },
    { role: 'user', content: [{ type: 'text', text: 'again' }] },
  ],
  tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }],
  toolChoice: { type: 'required' },
  parallelToolCalls: true,
  maxOutputTokens: 100,
  seed: 7,
  topK: 3,
  n: 2,
  logprobs: true,
  topLogprobs: 2,
  logitBias: { '50256': -100 },
  user: 'end-user-1',
  serviceTier: 'auto',
  frequencyPenalty: 0.1,
  presencePenalty: 0.2,
  reasoning: { effort: 'high' },
};

/** The same request as an OpenAI-format client body, for the passthrough path. */
const EVERYTHING_BODY = {
  model: 'some-model',
  stream: true,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'hi' },
  ],
  tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
  tool_choice: 'required',
  parallel_tool_calls: true,
  max_completion_tokens: 100,
  seed: 7,
  top_k: 3,
  n: 2,
  logprobs: true,
  top_logprobs: 2,
  logit_bias: { '50256': -100 },
  user: 'end-user-1',
  service_tier: 'auto',
  frequency_penalty: 0.1,
  presence_penalty: 0.2,
  reasoning_effort: 'high',
};

/** Top-level fields that only depend on `unsupported`, with the value EVERYTHING sends. */
const PLAIN_FIELDS: Record<string, unknown> = {
  parallel_tool_calls: true,
  n: 2,
  logprobs: true,
  top_logprobs: 2,
  logit_bias: { '50256': -100 },
  user: 'end-user-1',
  service_tier: 'auto',
  frequency_penalty: 0.1,
  presence_penalty: 0.2,
};

/** What both paths must do with a body, given the vendor's quirks. */
function expectQuirksHonoured(type: string, body: Record<string, any>, warnings: Warning[]): void {
  const quirks = effectiveQuirks(type);
  const other = quirks.maxTokensField === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
  expect(body[quirks.maxTokensField]).toBe(100);
  expect(body[other]).toBeUndefined();
  expect(body.stream_options).toEqual(quirks.streamOptions ? { include_usage: true } : undefined);

  const dropped = new Set(quirks.unsupported);
  if (!quirks.topK) dropped.add('top_k');
  if (quirks.reasoningEffort === false) dropped.add('reasoning_effort');
  for (const [field, value] of Object.entries(PLAIN_FIELDS)) expect(body[field], field).toEqual(dropped.has(field) ? undefined : value);
  expect(body.top_k).toBe(quirks.topK ? 3 : undefined);
  const seedField = quirks.seedField;
  expect(body[seedField]).toBe(dropped.has('seed') ? undefined : 7);
  expect(body[seedField === 'seed' ? 'random_seed' : 'seed']).toBeUndefined();
  expect(body.tools === undefined).toBe(dropped.has('tools'));
  expect(body.tool_choice).toBe(dropped.has('tool_choice') ? undefined : quirks.requiredToolChoice);
  expect(body.reasoning_effort).toBe(quirks.reasoningEffort === false ? undefined : 'high');

  // Every dropped parameter is reported, and nothing else is.
  const reported = warnings.filter((warning) => warning.code === 'unsupported-parameter').map((warning) => warning.param);
  expect(reported.sort()).toEqual([...dropped].sort());
}

describe('OpenAI-dialect vendor declarations', () => {
  it('the table here covers every declared vendor, and only those', () => {
    expect([...TYPES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(TYPES)('%s: base URL, key, endpoints and quirks as declared', (type) => {
    const expected = EXPECTED[type]!;
    const vendor = VENDORS.find((candidate) => candidate.type === type)!;
    const definition = getProviderDefinition(type)!;
    expect(definition.defaultBaseUrl).toBe(expected.baseUrl);
    expect(definition.requiresKey).toBe(expected.requiresKey);
    expect(definition.dialect).toBe('openai-chat');
    expect({ ...COMPATIBLE_QUIRKS, ...vendor.quirks }).toEqual(effectiveQuirks(type));
    const built = provider(type);
    expect(built.embeddings !== undefined).toBe(expected.embeddings);
    expect(built.completions !== undefined).toBe(expected.completions);
    expect(built.rerank !== undefined).toBe(expected.rerank);
    expect(built.passthrough === undefined).toBe(expected.noPassthrough === true);
    expect(provider(type, { passthrough: false }).passthrough).toBeUndefined();
  });

  it.each(TYPES)('%s: chat goes to <base URL>/chat/completions with Authorization: Bearer <key>', (type) => {
    const target = provider(type);
    const upstream = target.chat!.buildRequest({ ...EVERYTHING, stream: false }, { provider: target.settings, model: 'some-model', key: target.settings.keys[0], warnings: [] });
    void target.authenticate(upstream, target.settings.keys[0]);
    expect(`${upstream.origin}${upstream.path}`).toBe(`${baseUrlOf(type)}/chat/completions`);
    expect(upstream.method).toBe('POST');
    expect(upstream.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer sk-secret' });
    if (target.embeddings !== undefined) {
      const embedding = target.embeddings.buildRequest({ model: 'e', input: ['x'] }, { provider: target.settings, model: 'e', key: undefined, warnings: [] });
      expect(`${embedding.origin}${embedding.path}`).toBe(`${baseUrlOf(type)}/embeddings`);
    }
  });

  it.each(TYPES.filter((type) => !EXPECTED[type]!.requiresKey))('%s: a local server may go without a key, and then gets no Authorization header', (type) => {
    const target = provider(type, { key: false });
    const upstream = target.chat!.buildRequest({ ...EVERYTHING, stream: false }, { provider: target.settings, model: 'some-model', key: undefined, warnings: [] });
    void target.authenticate(upstream, undefined);
    expect(upstream.headers.authorization).toBeUndefined();
    expect(Object.keys(upstream.headers).sort()).toEqual(['accept', 'content-type']);
  });

  it.each(TYPES.filter((type) => EXPECTED[type]!.requiresKey))('%s: a key is required', (type) => {
    const { config, issues } = validateConfig({ providers: { [type]: {} } }, {});
    expect(config).toBeUndefined();
    expect(issues.map((issue) => issue.message)).toContain(`provider type "${type}" needs at least one key`);
  });

  it.each(TYPES)('%s: the canonical path honours every declared quirk', (type) => {
    const target = provider(type);
    const warnings: Warning[] = [];
    const upstream = target.chat!.buildRequest(EVERYTHING, { provider: target.settings, model: 'some-model', key: target.settings.keys[0], warnings });
    const body = JSON.parse(upstream.body as string) as Record<string, any>;
    expect(upstream.headers.accept).toBe('text/event-stream');
    expectQuirksHonoured(type, body, warnings);
    const quirks = effectiveQuirks(type);
    expect(body.messages[0].role).toBe(quirks.developerRole ? 'developer' : 'system');
    // Reasoning from an earlier turn goes back under the vendor's field, or is left out with a warning.
    const assistant = body.messages[2];
    expect(assistant.content).toBe('hello');
    if (quirks.reasoningInput === false) {
      expect(assistant.reasoning_content ?? assistant.reasoning).toBeUndefined();
      expect(warnings.filter((warning) => warning.code === 'lossy-conversion')).toHaveLength(1);
    } else {
      expect(assistant[quirks.reasoningInput]).toBe('a greeting');
      expect(warnings.filter((warning) => warning.code === 'lossy-conversion')).toHaveLength(0);
    }
  });

  it.each(TYPES.filter((type) => !EXPECTED[type]!.noPassthrough))('%s: the passthrough path applies the same quirks to forwarded bytes', (type) => {
    const target = provider(type);
    const warnings: Warning[] = [];
    const raw = Buffer.from(JSON.stringify(EVERYTHING_BODY));
    const built = target.passthrough!.buildRequest('chat', raw, structuredClone(EVERYTHING_BODY), { provider: target.settings, model: 'vendor-model', key: target.settings.keys[0], warnings }, { removeFields: [] });
    expect(built).toBeDefined();
    expect(`${built!.request.origin}${built!.request.path}`).toBe(`${baseUrlOf(type)}/chat/completions`);
    const body = JSON.parse(built!.request.body as string) as Record<string, any>;
    expect(body.model).toBe('vendor-model');
    expect(built!.injectedUsage).toBe(effectiveQuirks(type).streamOptions);
    expectQuirksHonoured(type, body, warnings);
  });

  it('docs/providers/openai-compatible.md lists every vendor with its declared base URL and endpoints', () => {
    const docs = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../docs/providers/openai-compatible.md'), 'utf8');
    const rows = new Map(
      docs
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))
        .map((cells) => [cells[0]!.replace(/`/g, ''), cells] as const),
    );
    expect([...rows.keys()].sort()).toEqual([...TYPES].sort());
    for (const type of TYPES) {
      const [, baseUrl, auth, chat, embeddings, completions] = rows.get(type)!;
      const expected = EXPECTED[type]!;
      expect(baseUrl, type).toBe(expected.baseUrl === undefined ? 'set `baseUrl`' : `\`${expected.baseUrl}\``);
      expect(auth, type).toMatch(expected.requiresKey ? /^Bearer$/ : /none|optional/);
      expect(chat, type).toBe('yes');
      expect(embeddings, type).toBe(expected.embeddings ? 'yes' : '—');
      expect(completions, type).toBe(expected.completions ? 'yes' : 'emulated');
    }
  });
});
