/*
 * Bedrock model identifiers: foundation model ids (`anthropic.claude-sonnet-4-5-20250929-v1:0`),
 * cross-region inference profiles (`us.anthropic.claude-...`, `global.anthropic.claude-...`),
 * and ARNs of inference profiles, provisioned throughput or imported models
 * (`arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123`). All of them
 * go into the URL path as one segment.
 */

/** Geography prefixes of system-defined cross-region inference profiles. */
const PROFILE_PREFIXES = ['us.', 'eu.', 'apac.', 'us-gov.', 'jp.', 'au.', 'ca.', 'global.'];

/**
 * Percent-encode a model id for the `/model/{modelId}/...` path exactly as the AWS SDK does
 * (smithy's extendedEncodeURIComponent: encodeURIComponent plus `!'()*`), so `:` and `/` of
 * versions and ARNs stay inside the one segment and the SigV4 canonical path matches.
 */
export function encodeModelIdForPath(modelId: string): string {
  return encodeURIComponent(modelId).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `/model/{modelId}/{operation}` with the id encoded. */
export function bedrockModelPath(
  basePath: string,
  modelId: string,
  operation: 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream' | 'count-tokens',
): string {
  return `${basePath}/model/${encodeModelIdForPath(modelId)}/${operation}`;
}

/** The foundation-model part of an id: inference-profile geography prefixes removed. */
export function baseModelId(modelId: string): string {
  const lower = modelId.toLowerCase();
  for (const prefix of PROFILE_PREFIXES) if (lower.startsWith(prefix)) return modelId.slice(prefix.length);
  return modelId;
}

/** Model families whose request options differ (thinking, top_k, reasoning effort, embeddings). */
export type BedrockModelFamily = 'anthropic' | 'nova' | 'titan' | 'openai' | 'cohere' | 'meta' | 'mistral' | 'deepseek' | 'other';

/**
 * The vendor family of a model id. ARNs do not name the model; they count as "other" unless
 * the config maps them to a family (see the provider's `modelFamilies`).
 */
export function bedrockModelFamily(modelId: string): BedrockModelFamily {
  const base = baseModelId(modelId).toLowerCase();
  if (base.startsWith('anthropic.')) return 'anthropic';
  if (base.startsWith('amazon.nova')) return 'nova';
  if (base.startsWith('amazon.titan')) return 'titan';
  if (base.startsWith('openai.')) return 'openai';
  if (base.startsWith('cohere.')) return 'cohere';
  if (base.startsWith('meta.')) return 'meta';
  if (base.startsWith('mistral.')) return 'mistral';
  if (base.startsWith('deepseek.')) return 'deepseek';
  return 'other';
}
