/**
 * The (provider type, model id) pairs to look up for a model a request used, most specific
 * first. Providers name the same model many ways:
 *  - dated snapshots: gpt-4o-2024-08-06, claude-sonnet-4-5-20250929, command-r-08-2024, and
 *    Vertex's claude-sonnet-4-5@20250929 → the undated id, then "<id>-latest" (Mistral);
 *  - Azure OpenAI, Vertex AI and Claude on Vertex sell another vendor's models: their own
 *    entries first, then the vendor's (azure → openai, vertex → gemini, vertex-anthropic →
 *    anthropic);
 *  - Bedrock ids carry a cross-region inference-profile prefix (us., eu., apac., global., ...),
 *    a vendor prefix and a version suffix: us.anthropic.claude-sonnet-4-5-20250929-v1:0 →
 *    bedrock entries, then anthropic/claude-sonnet-4-5;
 *  - OpenRouter ids are vendor/model: anthropic/claude-sonnet-4.5 → openrouter entries, then
 *    anthropic/claude-sonnet-4-5 (OpenRouter passes providers' prices through).
 */

const VENDOR_FALLBACK: Record<string, readonly string[]> = {
  azure: ['openai'],
  'azure-openai': ['openai'],
  vertex: ['gemini'],
  'vertex-gemini': ['gemini'],
  'vertex-anthropic': ['anthropic'],
  'anthropic-vertex': ['anthropic'],
  'bedrock-anthropic': ['anthropic'],
};

/** Bedrock cross-region inference profile prefixes (geo and global). */
export const BEDROCK_REGION_PREFIX = /^(global|us|us-gov|eu|apac|jp|au|ca)\./;
const BEDROCK_VENDOR_PREFIX = /^(anthropic|meta|amazon|cohere|mistral|ai21|deepseek|openai|qwen|writer)\./;
const BEDROCK_VERSION_SUFFIX = /-v\d+(?::\d+)?$/;
const BEDROCK_VENDOR_TYPE: Record<string, string> = { anthropic: 'anthropic', cohere: 'cohere', mistral: 'mistral', deepseek: 'deepseek', openai: 'openai' };

const OPENROUTER_VENDOR_TYPE: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'gemini',
  'x-ai': 'xai',
  deepseek: 'deepseek',
  mistralai: 'mistral',
  cohere: 'cohere',
  perplexity: 'perplexity',
};

/** Dated snapshot suffixes: -2024-07-18, -20250514, @20250929, -08-2024 (Cohere), -2507 / -0125. */
const DATE_SUFFIXES = [/[-@]\d{4}-?\d{2}-?\d{2}$/, /-\d{2}-\d{4}$/, /-\d{4}$/];

/** The model id, then without its date suffix, then as "-latest". */
export function idVariants(model: string): string[] {
  const out = [model];
  for (const suffix of DATE_SUFFIXES) {
    const undated = model.replace(suffix, '');
    if (undated !== model && undated !== '') {
      out.push(undated, `${undated}-latest`);
      break;
    }
  }
  return out;
}

function push(out: Array<[string, string]>, provider: string, ids: string[]): void {
  for (const id of ids) if (!out.some(([p, i]) => p === provider && i === id)) out.push([provider, id]);
}

export function lookupCandidates(providerType: string, model: string, providerId?: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (providerId !== undefined && providerId !== providerType) push(out, providerId, idVariants(model));
  push(out, providerType, idVariants(model));
  if (providerType === 'bedrock') {
    const regional = model.replace(BEDROCK_REGION_PREFIX, '');
    push(out, 'bedrock', idVariants(regional));
    const vendor = BEDROCK_VENDOR_PREFIX.exec(regional);
    const vendorType = vendor === null ? undefined : BEDROCK_VENDOR_TYPE[vendor[1]!];
    if (vendorType !== undefined) push(out, vendorType, idVariants(regional.slice(vendor![0].length).replace(BEDROCK_VERSION_SUFFIX, '')));
  } else if (providerType === 'openrouter') {
    const slash = model.indexOf('/');
    const vendorType = slash > 0 ? OPENROUTER_VENDOR_TYPE[model.slice(0, slash)] : undefined;
    if (vendorType !== undefined && !model.endsWith(':free')) {
      let id = model.slice(slash + 1).replace(/:[a-z]+$/, '');
      // OpenRouter spells Claude versions with dots (claude-sonnet-4.5); Anthropic with dashes.
      if (vendorType === 'anthropic') id = id.replace(/(\d)\.(\d)/g, '$1-$2');
      push(out, vendorType, idVariants(id));
    }
  }
  for (const fallback of VENDOR_FALLBACK[providerType] ?? []) push(out, fallback, idVariants(model));
  return out;
}
