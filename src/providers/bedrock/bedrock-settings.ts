import { z } from 'zod';
import { ANTHROPIC_DIALECT_FIELDS } from '../anthropic/define-anthropic-provider.js';
import type { ProviderKey, ProviderSettings } from '../provider-settings.js';
import { matchModelPattern } from '../shared/match-model-pattern.js';
import { bedrockModelFamily, type BedrockModelFamily } from './bedrock-model-id.js';

/** The base URL when none is configured; `{region}` is the key's (or provider's) region. */
export const BEDROCK_DEFAULT_BASE_URL = 'https://bedrock-runtime.{region}.amazonaws.com';

const FAMILIES = ['anthropic', 'nova', 'titan', 'openai', 'cohere', 'meta', 'mistral', 'deepseek', 'other'] as const;

/** Provider-level config fields of `type: bedrock` (beyond the common ones). */
export const BEDROCK_CONFIG_FIELDS = {
  /** AWS region, e.g. "us-east-1". Keys may override it. Default: AWS_REGION / AWS_DEFAULT_REGION. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as us-east-1').optional(),
  /**
   * "converse" (default): every model through Converse/ConverseStream. "invoke": Anthropic
   * models through InvokeModel/InvokeModelWithResponseStream with the Anthropic Messages body
   * (full Anthropic fidelity); other models stay on Converse.
   */
  api: z.enum(['converse', 'invoke']).optional(),
  /** Names clients use → Bedrock model ids, inference profile ids or ARNs. */
  modelIds: z.record(z.string().min(1), z.string().min(1)).optional(),
  /** Model id patterns (e.g. ARNs of application inference profiles) → the vendor family behind them. */
  modelFamilies: z.record(z.string().min(1), z.enum(FAMILIES)).optional(),
  /** A guardrail applied to every Converse request (unless the request names its own). */
  guardrail: z
    .strictObject({
      id: z.string().min(1),
      version: z.string().min(1),
      trace: z.enum(['enabled', 'disabled', 'enabled_full']).optional(),
      streamProcessingMode: z.enum(['sync', 'async']).optional(),
    })
    .optional(),
  /** With `api: invoke`: Anthropic betas for every Claude request, and how json_schema is sent. */
  ...ANTHROPIC_DIALECT_FIELDS,
};

/** Key-level config fields: an access key pair, a profile of the shared AWS files, a region. */
export const BEDROCK_KEY_FIELDS = {
  accessKeyId: z.string().min(1).optional(),
  secretAccessKey: z.string().min(1).optional(),
  sessionToken: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as us-east-1').optional(),
};

export interface BedrockOptions {
  region: string | undefined;
  api: 'converse' | 'invoke';
  modelIds: Record<string, string>;
  modelFamilies: Record<string, BedrockModelFamily>;
  guardrail: { id: string; version: string; trace?: string; streamProcessingMode?: string } | undefined;
}

export interface BedrockKeyOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  profile?: string;
  region?: string;
}

const string = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Read the validated provider options. The region falls back to AWS_REGION / AWS_DEFAULT_REGION
 * (as the AWS SDK does); keys without credentials of their own use the AWS chain.
 */
export function readBedrockOptions(settings: ProviderSettings, env: Readonly<Record<string, string | undefined>>): BedrockOptions {
  const options = settings.options;
  const region = string(options.region) ?? string(env.AWS_REGION) ?? string(env.AWS_DEFAULT_REGION);
  const needsRegion = settings.baseUrl.includes('{region}');
  for (const key of settings.keys) {
    const own = readKeyOptions(key);
    if ((own.accessKeyId === undefined) !== (own.secretAccessKey === undefined)) {
      throw new Error(`providers.${settings.id}: key "${key.name}" needs both accessKeyId and secretAccessKey`);
    }
    if (region === undefined && own.region === undefined && needsRegion) {
      throw new Error(`providers.${settings.id}: no AWS region (set "region" on the provider or key "${key.name}", or AWS_REGION)`);
    }
  }
  if (settings.keys.length === 0 && region === undefined && needsRegion) {
    throw new Error(`providers.${settings.id}: no AWS region (set "region", or AWS_REGION)`);
  }
  return {
    region,
    api: options.api === 'invoke' ? 'invoke' : 'converse',
    modelIds: (options.modelIds as Record<string, string> | undefined) ?? {},
    modelFamilies: (options.modelFamilies as Record<string, BedrockModelFamily> | undefined) ?? {},
    guardrail: options.guardrail as BedrockOptions['guardrail'],
  };
}

export function readKeyOptions(key: ProviderKey | undefined): BedrockKeyOptions {
  const options = key?.options ?? {};
  const out: BedrockKeyOptions = {};
  for (const field of ['accessKeyId', 'secretAccessKey', 'sessionToken', 'profile', 'region'] as const) {
    const value = string(options[field]);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** The Bedrock id for a model name: a configured mapping, else the name itself. */
export function resolveBedrockModelId(options: BedrockOptions, model: string): string {
  return options.modelIds[model] ?? model;
}

/** The vendor family of a (resolved) model id, honouring configured families for ARNs. */
export function familyOf(options: BedrockOptions, modelId: string): BedrockModelFamily {
  for (const [pattern, family] of Object.entries(options.modelFamilies)) if (matchModelPattern(pattern, modelId)) return family;
  return bedrockModelFamily(modelId);
}
