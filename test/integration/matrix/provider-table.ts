import { signedBedrockHandler } from '../../helpers/mock-bedrock.js';
import { startMockGoogleOAuth, type MockGoogleOAuth } from '../../helpers/mock-google-oauth.js';
import type { MockReply, MockUpstream, RecordedRequest } from '../../helpers/mock-upstream.js';
import type { ProviderRow, RecordedFixtures } from './matrix-types.js';
import { bedrockConverseUpstream, bedrockInvokeUpstream } from './upstream-bedrock.js';
import { cohereUpstream } from './upstream-cohere.js';
import { anthropicMessagesUpstream, openAiChatUpstream } from './upstream-dialects.js';
import { geminiUpstream } from './upstream-gemini.js';
import { openAiResponsesUpstream } from './upstream-responses.js';

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

type Reply = (request: RecordedRequest) => MockReply | Promise<MockReply>;

/** An OpenAI-dialect upstream: POST {base}/v1/chat/completions. */
function mountOpenAiChat(mock: MockUpstream, reply: Reply): void {
  mock.on('POST', '/v1/chat/completions', reply);
}

/** Answer like the API does when the credential is not the configured one (mocks check what the gateway signs or sends). */
function requireCredential(check: (request: RecordedRequest) => boolean, reply: Reply, refusal: MockReply): Reply {
  return (request) => (check(request) ? reply(request) : refusal);
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

const GEMINI_MODEL = 'gemini-2.5-flash';
const GEMINI_FIXTURES: RecordedFixtures = {
  text: 'gemini/text.json',
  stream: 'gemini/stream-text.sse',
  // Gemini 3 signs its function calls; the signature must come back with the next turn.
  toolCall: 'gemini/tool-call-gemini3.json',
  streamToolCall: 'gemini/stream-function-call-thought-signature.sse',
  followUp: 'gemini/text.json',
  streamFollowUp: 'gemini/stream-text-after-function-response.sse',
  parallelToolCalls: 'gemini/parallel-function-calls.json',
};
const GOOGLE_UNAUTHENTICATED: MockReply = { status: 401, body: JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }) };
export const VERTEX_GEMINI_MODELS = '/v1/projects/matrix-project/locations/europe-west4/publishers/google/models';

/** Gemini on Vertex AI, with a service account exchanged for access tokens at a mock OAuth endpoint. */
function vertexGemini(): ProviderRow {
  let oauth: MockGoogleOAuth | undefined;
  const bearer = (request: RecordedRequest): boolean => oauth !== undefined && oauth.issued.some((token) => request.headers.authorization === `Bearer ${token}`);
  return {
    id: 'vertex-gemini',
    dialect: 'gemini',
    model: GEMINI_MODEL,
    upstream: geminiUpstream,
    // The Gemini recordings: the wire format is the same. (Vertex's recorded streamed parallel
    // calls, gemini/vertex-stream-function-call-partial-args.sse, answer a request that opted in
    // to streamFunctionCallArguments, which no matrix client and not the gateway asks for; the
    // stream decoder's unit tests replay it.)
    fixtures: GEMINI_FIXTURES,
    passthrough: true,
    async prepare() {
      oauth = await startMockGoogleOAuth('matrix-project');
    },
    async release() {
      await oauth?.stop();
    },
    config: (url) => ({ type: 'vertex', baseUrl: `${url}/v1`, project: 'matrix-project', region: 'europe-west4', serviceAccount: oauth!.serviceAccount, tokenUrl: oauth!.tokenUrl }),
    mount: (mock, reply) => {
      mock.on('POST', `${VERTEX_GEMINI_MODELS}/${GEMINI_MODEL}:generateContent`, requireCredential(bearer, reply, GOOGLE_UNAUTHENTICATED));
      mock.on('POST', `${VERTEX_GEMINI_MODELS}/${GEMINI_MODEL}:streamGenerateContent`, requireCredential(bearer, reply, GOOGLE_UNAUTHENTICATED));
    },
  };
}

export const BEDROCK_REGION = 'eu-west-3';
const BEDROCK_KEY = { accessKeyId: 'AKIAMATRIXUPSTREAM', secretAccessKey: 'matrix/upstream/secret' };
export const BEDROCK_SECRETS = { [BEDROCK_KEY.accessKeyId]: { secretAccessKey: BEDROCK_KEY.secretAccessKey } };
const BEDROCK_MODEL = 'us.amazon.nova-micro-v1:0';
const BEDROCK_CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

const AZURE_API_VERSION = '2024-10-21';
const AZURE_UNAUTHORIZED: MockReply = { status: 401, body: JSON.stringify({ error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } }) };

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
  {
    // The Gemini API: generateContent / streamGenerateContent?alt=sse, the key in x-goog-api-key.
    id: 'gemini',
    dialect: 'gemini',
    model: GEMINI_MODEL,
    upstream: geminiUpstream,
    fixtures: GEMINI_FIXTURES,
    passthrough: true,
    config: (url) => ({ type: 'gemini', baseUrl: `${url}/v1beta`, keys: [{ value: 'gemini-upstream-key' }] }),
    mount: (mock, reply) => {
      const keyed = requireCredential((request) => request.headers['x-goog-api-key'] === 'gemini-upstream-key', reply, GOOGLE_UNAUTHENTICATED);
      mock.on('POST', `/v1beta/models/${GEMINI_MODEL}:generateContent`, keyed);
      mock.on('POST', `/v1beta/models/${GEMINI_MODEL}:streamGenerateContent`, requireCredential((request) => request.url.includes('alt=sse'), keyed, GOOGLE_UNAUTHENTICATED));
    },
  },
  vertexGemini(),
  {
    // Bedrock Converse / ConverseStream, SigV4-signed with the configured key (the mock recomputes the signature).
    id: 'bedrock',
    dialect: 'bedrock-converse',
    model: BEDROCK_MODEL,
    upstream: bedrockConverseUpstream,
    fixtures: {
      text: 'bedrock-converse/converse-text.json',
      stream: 'bedrock-converse/converse-stream-text.eventstream',
      toolCall: 'bedrock-converse/converse-thinking-tool-use.json',
      streamToolCall: 'bedrock-converse/converse-stream-tool-use.eventstream',
      followUp: 'bedrock-converse/converse-text.json',
      streamFollowUp: 'bedrock-converse/converse-stream-text.eventstream',
    },
    passthrough: false,
    config: (url) => ({ type: 'bedrock', baseUrl: url, region: BEDROCK_REGION, keys: [{ name: 'aws', ...BEDROCK_KEY }] }),
    mount: (mock, reply) => mock.otherwise(signedBedrockHandler(BEDROCK_SECRETS, (call) => reply(call.request), BEDROCK_REGION)),
  },
  {
    // Claude on Bedrock through InvokeModel (`api: invoke`): the Anthropic Messages body behind Bedrock's transport.
    // Only text was recorded through InvokeModel; tool calls are Anthropic's own recordings, which
    // InvokeModel returns unchanged (streams wrapped in Bedrock chunk messages by the mock).
    id: 'bedrock-invoke',
    dialect: 'bedrock-converse',
    model: BEDROCK_CLAUDE,
    upstream: bedrockInvokeUpstream,
    fixtures: {
      text: 'bedrock-invoke/invoke-anthropic-messages.json',
      stream: 'bedrock-invoke/invoke-stream-anthropic-messages.eventstream',
      toolCall: ANTHROPIC_FIXTURES.toolCall!,
      streamToolCall: ANTHROPIC_FIXTURES.streamToolCall!,
      followUp: ANTHROPIC_FIXTURES.followUp,
      streamFollowUp: 'bedrock-invoke/invoke-stream-anthropic-messages.eventstream',
      parallelToolCalls: ANTHROPIC_FIXTURES.parallelToolCalls!,
    },
    passthrough: false,
    config: (url) => ({ type: 'bedrock', baseUrl: url, region: BEDROCK_REGION, api: 'invoke', keys: [{ name: 'aws', ...BEDROCK_KEY }] }),
    mount: (mock, reply) => mock.otherwise(signedBedrockHandler(BEDROCK_SECRETS, (call) => reply(call.request), BEDROCK_REGION)),
  },
  {
    // Azure OpenAI chat completions: deployment URL, api-version, api-key header. Azure's tool
    // calls were not recorded; Azure serves OpenAI's models with OpenAI's wire format, so
    // OpenAI's recordings stand in for those scenarios.
    id: 'azure',
    dialect: 'openai-chat',
    model: 'gpt-4o',
    upstream: openAiChatUpstream,
    fixtures: openAiFixtures('openai-chat', {
      text: 'azure-openai/chat-protected-material-filters.json',
      stream: 'azure-openai/chat-stream-content-filter-results.sse',
      parallelToolCalls: OPENAI_EXTRA.parallelToolCalls!,
      streamParallelToolCalls: OPENAI_EXTRA.streamParallelToolCalls!,
    }),
    passthrough: true,
    config: (url) => ({ type: 'azure', baseUrl: url, apiVersion: AZURE_API_VERSION, deployments: { 'gpt-4o': 'gpt4o-matrix' }, keys: [{ value: 'azure-upstream-key' }] }),
    mount: (mock, reply) =>
      mock.on(
        'POST',
        '/openai/deployments/gpt4o-matrix/chat/completions',
        requireCredential((request) => request.headers['api-key'] === 'azure-upstream-key' && request.url.endsWith(`?api-version=${AZURE_API_VERSION}`), reply, AZURE_UNAUTHORIZED),
      ),
  },
  {
    // OpenAI with `api: responses`: every chat request goes to the Responses API.
    id: 'openai-responses',
    dialect: 'openai-responses',
    model: 'gpt-4o',
    upstream: openAiResponsesUpstream,
    fixtures: {
      text: 'openai-responses/output-text.json',
      stream: 'openai-responses/stream-cached-tokens.sse',
      toolCall: 'openai-responses/function-call.json',
      streamToolCall: 'openai-responses/stream-function-call.sse',
      followUp: 'openai-responses/output-text.json',
      streamFollowUp: 'openai-responses/stream-text-after-function-output.sse',
    },
    passthrough: true,
    config: (url) => ({ type: 'openai', baseUrl: `${url}/v1`, api: 'responses', keys: [{ value: 'sk-responses-upstream' }] }),
    mount: (mock, reply) => mock.on('POST', '/v1/responses', reply),
  },
  {
    // Azure with `api: responses`: the v1 Responses endpoint of the resource.
    id: 'azure-responses',
    dialect: 'openai-responses',
    model: 'gpt-5.1',
    upstream: openAiResponsesUpstream,
    fixtures: {
      text: 'azure-openai/responses-text.json',
      stream: 'azure-openai/responses-stream-text.sse',
      toolCall: 'azure-openai/responses-tool-call.json',
      streamToolCall: 'azure-openai/responses-stream-tool-call.sse',
      followUp: 'azure-openai/responses-text.json',
      streamFollowUp: 'azure-openai/responses-stream-text.sse',
    },
    passthrough: true,
    config: (url) => ({ type: 'azure', baseUrl: url, api: 'responses', keys: [{ value: 'azure-upstream-key' }] }),
    mount: (mock, reply) => mock.on('POST', '/openai/v1/responses', requireCredential((request) => request.headers['api-key'] === 'azure-upstream-key', reply, AZURE_UNAUTHORIZED)),
  },
  {
    // Cohere v2 chat. No single non-streaming tool call was recorded (Cohere's recorded turn calls two tools).
    id: 'cohere',
    dialect: 'cohere-v2',
    model: 'command-a-03-2025',
    upstream: cohereUpstream,
    fixtures: {
      text: 'cohere/text.json',
      stream: 'cohere/stream-text.sse',
      streamToolCall: 'cohere/stream-empty-tool-call-args.sse',
      followUp: 'cohere/text.json',
      streamFollowUp: 'cohere/stream-text.sse',
      parallelToolCalls: 'cohere/tool-call.json',
      streamParallelToolCalls: 'cohere/stream-tool-call.sse',
    },
    passthrough: true,
    config: (url) => ({ type: 'cohere', baseUrl: url, keys: [{ value: 'co-upstream-key' }] }),
    mount: (mock, reply) => mock.on('POST', '/v2/chat', requireCredential((request) => request.headers.authorization === 'Bearer co-upstream-key', reply, { status: 401, body: JSON.stringify({ message: 'invalid api token' }) })),
  },
];

export function providerRow(id: string): ProviderRow {
  const row = PROVIDERS.find((candidate) => candidate.id === id);
  if (row === undefined) throw new Error(`no provider row ${id}`);
  return row;
}
