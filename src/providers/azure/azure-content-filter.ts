import type { IncomingHttpHeaders } from 'node:http';
import type { ChatResponse, GatewayError } from '../../core/index.js';
import { GatewayError as GatewayErrorClass } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { mapOpenAiError } from '../openai/map-openai-error.js';

/*
 * Azure OpenAI runs every prompt and completion through content filters and reports the result
 * next to the OpenAI fields: `prompt_filter_results` (per prompt), `choices[].content_filter_results`
 * (per completion), `content_filters` on Responses objects, finish_reason "content_filter" when a
 * completion was cut, and HTTP 400 `code: content_filter` with `innererror.content_filter_result`
 * when the prompt was refused. https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter
 */

/** Categories that were filtered, e.g. ["violence (high)", "jailbreak"]. */
export function filteredCategories(results: unknown): string[] {
  if (!isRecord(results)) return [];
  const out: string[] = [];
  for (const [category, value] of Object.entries(results)) {
    if (!isRecord(value) || value.filtered !== true) continue;
    out.push(typeof value.severity === 'string' && value.severity !== 'safe' ? `${category} (${value.severity})` : category);
  }
  return out;
}

/** Copy Azure's filter results into providerMetadata.azure (the openai family already has them raw). */
export function annotateContentFilters(response: ChatResponse, body: unknown): ChatResponse {
  if (!isRecord(body)) return response;
  if (body.prompt_filter_results !== undefined) {
    response.providerMetadata = { ...response.providerMetadata, azure: { promptFilterResults: body.prompt_filter_results } };
  }
  const choices = Array.isArray(body.choices) ? body.choices : [];
  for (const choice of response.choices) {
    const raw = choices.find((item) => isRecord(item) && item.index === choice.index);
    if (!isRecord(raw) || raw.content_filter_results === undefined) continue;
    const filtered = filteredCategories(raw.content_filter_results);
    choice.providerMetadata = {
      ...choice.providerMetadata,
      azure: { contentFilterResults: raw.content_filter_results, ...(filtered.length > 0 ? { filtered } : {}) },
    };
  }
  return response;
}

/**
 * Azure errors are OpenAI-shaped. A prompt refused by the filters (400 content_filter, inner
 * error ResponsibleAIPolicyViolation) becomes `content_filtered` naming the categories; the
 * body (with innererror.content_filter_result) is kept in `upstream.body`.
 */
export function mapAzureError(provider: string, status: number, headers: IncomingHttpHeaders, bodyText: string): GatewayError {
  const mapped = mapOpenAiError(provider, status, headers, bodyText);
  const body = tryParseJson(bodyText);
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const inner = error !== undefined && isRecord(error.innererror) ? error.innererror : undefined;
  const isFilter = mapped.code === 'content_filtered' || inner?.code === 'ResponsibleAIPolicyViolation';
  if (!isFilter) return mapped;
  const categories = filteredCategories(inner?.content_filter_result);
  return new GatewayErrorClass({
    code: 'content_filtered',
    status: mapped.status,
    retryable: false,
    message: categories.length === 0 ? mapped.message : `${mapped.message} (Azure content filter: ${categories.join(', ')})`,
    ...(mapped.upstream === undefined ? {} : { upstream: { ...mapped.upstream, code: mapped.upstream.code ?? 'content_filter' } }),
  });
}
