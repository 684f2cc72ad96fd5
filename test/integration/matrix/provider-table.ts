import type { MockReply, MockUpstream, RecordedRequest } from '../../helpers/mock-upstream.js';
import type { ProviderRow, RecordedFixtures } from './matrix-types.js';
import { anthropicMessagesUpstream, openAiChatUpstream } from './upstream-dialects.js';

/*
 * The provider table of the cross matrix: one row per provider adapter (and per path through
 * it: passthrough and canonical for same-dialect pairs). Each row is a config entry plus a mock
 * upstream that replays recorded traffic for plain text, a stream, a tool call and the turn
 * after the tool result; the mock picks the recording from the request itself (a tool result
 * sent back → the follow-up; tools declared → the tool call; otherwise text), so surfaces need
 * no magic words. A `trigger:<error case>` in the prompt makes the mock answer with that error
 * in its own dialect (errors.test.ts).
 */

const openAiFixtures = (folder: string, names: Partial<RecordedFixtures> = {}): RecordedFixtures => ({
  text: `${folder}/text.json`,
  stream: `${folder}/stream-text.sse`,
  toolCall: `${folder}/tool-call.json`,
  streamToolCall: `${folder}/stream-tool-call.sse`,
  followUp: `${folder}/text.json`,
  streamFollowUp: `${folder}/stream-text.sse`,
  ...names,
});

const OPENAI_EXTRA: Partial<RecordedFixtures> = {
  stream: 'openai-chat/stream-text-with-usage.sse',
  parallelToolCalls: 'openai-chat/parallel-tool-calls.json',
  streamParallelToolCalls: 'openai-chat/stream-parallel-tool-calls.sse',
};

const ANTHROPIC_FIXTURES: RecordedFixtures = {
  text: 'anthropic-messages/text.json',
  stream: 'anthropic-messages/stream-text.sse',
  toolCall: 'anthropic-messages/tool-use.json',
  streamToolCall: 'anthropic-messages/stream-tool-use-input-json-delta.sse',
  followUp: 'anthropic-messages/tool-result-followup.json',
  streamFollowUp: 'anthropic-messages/stream-text.sse',
  parallelToolCalls: 'anthropic-messages/parallel-tool-use.json',
};

/** An OpenAI-dialect upstream: POST {base}/v1/chat/completions. */
function mountOpenAiChat(mock: MockUpstream, reply: (request: RecordedRequest) => MockReply): void {
  mock.on('POST', '/v1/chat/completions', reply);
}

/**
 * `path`: how same-dialect surfaces reach the provider — 'passthrough' (the default), 'canonical'
 * (passthrough switched off in the config) or 'vendor-canonical' (the vendor never takes
 * forwarded bytes, whatever the config says).
 */
function openAiFamily(id: string, type: string, model: string, fixtures: RecordedFixtures, path: 'passthrough' | 'canonical' | 'vendor-canonical' = 'passthrough'): ProviderRow {
  return {
    id,
    dialect: 'openai-chat',
    model,
    upstream: openAiChatUpstream,
    fixtures,
    passthrough: path === 'passthrough',
    config: (url) => ({ type, baseUrl: `${url}/v1`, keys: [{ value: `sk-${id}-upstream` }], ...(path === 'canonical' ? { passthrough: false } : {}) }),
    mount: mountOpenAiChat,
  };
}

function anthropic(id: string, passthrough: boolean): ProviderRow {
  return {
    id,
    dialect: 'anthropic-messages',
    model: 'claude-sonnet-4-5',
    upstream: anthropicMessagesUpstream,
    fixtures: ANTHROPIC_FIXTURES,
    passthrough,
    config: (url) => ({ type: 'anthropic', baseUrl: url, keys: [{ value: 'sk-ant-upstream' }], ...(passthrough ? {} : { passthrough: false }) }),
    mount: (mock, reply) => mock.on('POST', '/v1/messages', reply),
  };
}

export const VERTEX_MODELS = '/v1/projects/matrix-project/locations/us-east5/publishers/anthropic/models';
const VERTEX_MODEL = 'claude-sonnet-4-5@20250929';

export const PROVIDERS: ProviderRow[] = [
  openAiFamily('openai', 'openai', 'gpt-4o', openAiFixtures('openai-chat', OPENAI_EXTRA)),
  openAiFamily('openai-canonical', 'openai', 'gpt-4o', openAiFixtures('openai-chat', OPENAI_EXTRA), 'canonical'),
  // OpenAI-compatible vendors: configuration on the same adapter, each with its own quirks and recordings.
  // Mistral is never a passthrough target (its tool calls lack `type`, it refuses unknown fields).
  openAiFamily('mistral', 'mistral', 'mistral-small-latest', openAiFixtures('mistral'), 'vendor-canonical'),
  openAiFamily('xai', 'xai', 'grok-3-mini', openAiFixtures('xai', { toolCall: 'xai/tool-call-reasoning.json', streamToolCall: 'xai/stream-tool-call-reasoning.sse' })),
  openAiFamily('deepseek', 'deepseek', 'deepseek-reasoner', openAiFixtures('deepseek', { stream: 'deepseek/stream-reasoning-content.sse', streamFollowUp: 'deepseek/stream-reasoning-content.sse' })),
  anthropic('anthropic', true),
  anthropic('anthropic-canonical', false),
  {
    // Claude on Vertex: the Anthropic dialect behind Google OAuth (a key value is used as a ready access token).
    id: 'vertex',
    dialect: 'anthropic-messages',
    model: VERTEX_MODEL,
    upstream: anthropicMessagesUpstream,
    fixtures: ANTHROPIC_FIXTURES,
    passthrough: true,
    config: (url) => ({ type: 'vertex-anthropic', project: 'matrix-project', region: 'us-east5', baseUrl: url, keys: [{ value: 'ya29.matrix-token' }] }),
    mount: (mock, reply) => {
      mock.on('POST', `${VERTEX_MODELS}/${VERTEX_MODEL}:rawPredict`, reply);
      mock.on('POST', `${VERTEX_MODELS}/${VERTEX_MODEL}:streamRawPredict`, reply);
    },
  },
];

export function providerRow(id: string): ProviderRow {
  const row = PROVIDERS.find((candidate) => candidate.id === id);
  if (row === undefined) throw new Error(`no provider row ${id}`);
  return row;
}
