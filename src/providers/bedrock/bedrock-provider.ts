import '../../transport/aws-eventstream.js';
import type { Provider, ProviderDefinition } from '../provider.js';
import type { ProviderSettings } from '../provider-settings.js';
import { matchesAnyPattern } from '../shared/match-model-pattern.js';
import { BedrockAuth } from './bedrock-auth.js';
import { createBedrockChatAdapter } from './bedrock-chat-adapter.js';
import { createBedrockConverseAdapter, type BedrockEndpoint } from './bedrock-converse-adapter.js';
import { createBedrockCountTokens } from './bedrock-count-tokens.js';
import { createBedrockEmbeddings } from './bedrock-embeddings.js';
import { createBedrockInvokeAdapter } from './bedrock-invoke-adapter.js';
import { bedrockEnvironmentEntry } from './bedrock-environment.js';
import { BEDROCK_CONFIG_FIELDS, BEDROCK_DEFAULT_BASE_URL, BEDROCK_KEY_FIELDS, readBedrockOptions } from './bedrock-settings.js';
import { mapBedrockError } from './map-bedrock-error.js';

/** Model ids Bedrock serves natively: foundation models, inference profiles, ARNs. */
export const BEDROCK_MODEL_PATTERNS = [
  'anthropic.*',
  'amazon.*',
  'meta.*',
  'mistral.*',
  'cohere.*',
  'ai21.*',
  'deepseek.*',
  'qwen.*',
  'openai.*',
  'writer.*',
  'twelvelabs.*',
  'us.*',
  'eu.*',
  'apac.*',
  'us-gov.*',
  'jp.*',
  'au.*',
  'ca.*',
  'global.*',
  'arn:aws:bedrock:*',
  'arn:aws-us-gov:bedrock:*',
];

const KNOWN_MODELS = [
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  'us.amazon.nova-pro-v1:0',
  'us.amazon.nova-lite-v1:0',
  'amazon.nova-micro-v1:0',
  'us.meta.llama3-3-70b-instruct-v1:0',
  'amazon.titan-embed-text-v2:0',
];

/** Create a configured Bedrock provider. */
export function createBedrockProvider(settings: ProviderSettings, env: Readonly<Record<string, string | undefined>> = process.env): Provider {
  const id = settings.id;
  const options = readBedrockOptions(settings, env);
  const auth = new BedrockAuth(id, options.region, settings.origin);
  const endpoint: BedrockEndpoint = { origin: settings.origin, basePath: settings.basePath, headers: settings.headers };
  const converse = createBedrockConverseAdapter(id, options, endpoint);
  const invoke = options.api === 'invoke' ? createBedrockInvokeAdapter(settings, options, auth) : undefined;
  const keyModels = settings.keys.flatMap((key) => key.models ?? []).filter((pattern) => pattern !== '*');
  const patterns = [...settings.models, ...keyModels, ...Object.keys(options.modelIds), ...BEDROCK_MODEL_PATTERNS];
  return {
    id,
    type: 'bedrock',
    dialect: 'bedrock-converse',
    settings,
    chat: createBedrockChatAdapter(options, converse, invoke),
    embeddings: createBedrockEmbeddings(id, options, endpoint),
    countTokens: createBedrockCountTokens(id, options, endpoint),
    authenticate: (request, key) => auth.authenticate(request, key),
    mapError: (status, headers, bodyText) => mapBedrockError(id, status, headers, bodyText),
    servesModel: (model) => matchesAnyPattern(patterns, model),
    listModels() {
      const exact = [...settings.models, ...keyModels, ...Object.keys(options.modelIds)].filter((model) => !model.includes('*'));
      return [...new Set(exact.length > 0 ? exact : KNOWN_MODELS)];
    },
  };
}

/**
 * Amazon Bedrock: Converse/ConverseStream for every model (or, with `api: invoke`, InvokeModel
 * with the Anthropic Messages body for Claude), Titan and Cohere embeddings through InvokeModel,
 * CountTokens, SigV4 with the AWS SDK's signer (or
 * a Bedrock API key), credentials from the config or the standard AWS chain.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_Operations_Amazon_Bedrock_Runtime.html
 */
export const BEDROCK_PROVIDER: ProviderDefinition = {
  type: 'bedrock',
  displayName: 'Amazon Bedrock',
  dialect: 'bedrock-converse',
  defaultBaseUrl: BEDROCK_DEFAULT_BASE_URL,
  env: { fromEnvironment: bedrockEnvironmentEntry },
  requiresKey: false,
  modelPatterns: BEDROCK_MODEL_PATTERNS,
  knownModels: KNOWN_MODELS,
  configFields: BEDROCK_CONFIG_FIELDS,
  keyFields: BEDROCK_KEY_FIELDS,
  create: (settings) => createBedrockProvider(settings),
};
