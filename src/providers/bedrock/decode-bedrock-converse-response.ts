import { randomUUID } from 'node:crypto';
import type { AssistantContentPart, ChatResponse, Citation, ProviderMetadata, TextPart } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { mediaTypeFor } from './bedrock-media-formats.js';
import { convertBedrockCitation } from './convert-bedrock-citations.js';
import { convertBedrockUsage } from './convert-bedrock-usage.js';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.js';

const RESPONSE_FIELDS = new Set(['output', 'stopReason', 'usage']);

function citationsText(block: Record<string, unknown>): TextPart {
  const content = Array.isArray(block.content) ? block.content.filter(isRecord) : [];
  const text = content.map((item) => (typeof item.text === 'string' ? item.text : '')).join('');
  const citations: Citation[] = Array.isArray(block.citations) ? block.citations.filter(isRecord).map(convertBedrockCitation) : [];
  return citations.length > 0 ? { type: 'text', text, citations } : { type: 'text', text };
}

/** One output content block → canonical parts; blocks with no canonical form are kept as metadata. */
function convertBlock(block: Record<string, unknown>, unknown: unknown[]): AssistantContentPart | undefined {
  if (typeof block.text === 'string') return { type: 'text', text: block.text };
  if (isRecord(block.reasoningContent)) {
    const reasoning = block.reasoningContent;
    if (typeof reasoning.redactedContent === 'string') return { type: 'reasoning', text: '', redactedData: reasoning.redactedContent };
    const text = isRecord(reasoning.reasoningText) ? reasoning.reasoningText : {};
    const part: AssistantContentPart = { type: 'reasoning', text: typeof text.text === 'string' ? text.text : '' };
    if (typeof text.signature === 'string') part.signature = text.signature;
    return part;
  }
  if (isRecord(block.toolUse)) {
    const call = block.toolUse;
    return {
      type: 'tool-call',
      id: typeof call.toolUseId === 'string' ? call.toolUseId : '',
      name: typeof call.name === 'string' ? call.name : '',
      arguments: JSON.stringify(call.input ?? {}),
      ...(typeof call.type === 'string' ? { providerMetadata: { bedrock: { type: call.type } } } : {}),
    };
  }
  if (isRecord(block.citationsContent)) return citationsText(block.citationsContent);
  if (isRecord(block.image) && typeof block.image.format === 'string' && isRecord(block.image.source) && typeof block.image.source.bytes === 'string') {
    return { type: 'image', source: { kind: 'base64', mediaType: mediaTypeFor('image', block.image.format), data: block.image.source.bytes } };
  }
  unknown.push(block);
  return undefined;
}

/**
 * Converse response → canonical response. Converse has no response id (AWS puts a request id
 * in a header), so one is made up. Guardrail traces, metrics, additional model response fields,
 * and any unknown block or field are kept in `providerMetadata.bedrock`.
 */
export function decodeBedrockConverseResponse(body: unknown, model: string, provider: string): ChatResponse {
  if (!isRecord(body) || !isRecord(body.output)) {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${provider}" returned a Converse response without output`,
      upstream: { provider, body: JSON.stringify(body ?? null).slice(0, 2048) },
    });
  }
  const message = isRecord(body.output.message) ? body.output.message : {};
  const content: AssistantContentPart[] = [];
  const unknownBlocks: unknown[] = [];
  if (Array.isArray(message.content)) {
    for (const block of message.content) {
      if (!isRecord(block)) continue;
      const part = convertBlock(block, unknownBlocks);
      if (part !== undefined) content.push(part);
    }
  }
  const metadata: Record<string, unknown> = {};
  for (const key in body) if (!RESPONSE_FIELDS.has(key)) metadata[key] = body[key];
  if (unknownBlocks.length > 0) metadata.unknownContent = unknownBlocks;
  const response: ChatResponse = {
    id: `bedrock-${randomUUID()}`,
    model,
    created: Math.floor(Date.now() / 1000),
    choices: [{ index: 0, content, finishReason: mapBedrockStopReason(body.stopReason) }],
  };
  const usage = convertBedrockUsage(body.usage);
  if (usage !== undefined) response.usage = usage;
  if (Object.keys(metadata).length > 0) response.providerMetadata = { bedrock: metadata } satisfies ProviderMetadata;
  return response;
}
