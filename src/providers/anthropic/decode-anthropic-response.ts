import type { AssistantContentPart, ChatResponse, Citation, TextPart } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { convertAnthropicCitation } from './convert-anthropic-citation.js';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
import { opaqueBlockPart } from './opaque-block.js';

type Json = Record<string, unknown>;

const MESSAGE_FIELDS = new Set(['id', 'type', 'role', 'model', 'content', 'stop_reason', 'usage']);

function citations(value: unknown): Citation[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const out: Citation[] = [];
  for (const item of value) {
    const citation = convertAnthropicCitation(item);
    if (citation !== undefined) out.push(citation);
  }
  return out;
}

/** One Anthropic content block → a canonical part (unknown blocks travel verbatim). */
export function decodeAnthropicBlock(block: Json, structuredTool: string | undefined): AssistantContentPart {
  switch (block.type) {
    case 'text': {
      const part: TextPart = { type: 'text', text: typeof block.text === 'string' ? block.text : '' };
      const cited = citations(block.citations);
      if (cited !== undefined) part.citations = cited;
      return part;
    }
    case 'thinking':
      return {
        type: 'reasoning',
        text: typeof block.thinking === 'string' ? block.thinking : '',
        ...(typeof block.signature === 'string' ? { signature: block.signature } : {}),
      };
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: typeof block.data === 'string' ? block.data : '' };
    case 'tool_use': {
      const input = JSON.stringify(block.input ?? {});
      if (structuredTool !== undefined && block.name === structuredTool) return { type: 'text', text: input };
      return { type: 'tool-call', id: String(block.id ?? ''), name: String(block.name ?? ''), arguments: input };
    }
    default:
      return opaqueBlockPart(block);
  }
}

/**
 * An Anthropic Message → canonical response. Server tool blocks (server_tool_use,
 * web_search_tool_result, ...) are kept verbatim as opaque parts; stop_sequence, container and
 * other message fields go to providerMetadata.anthropic. When structured output was emulated
 * with a tool, that tool's input is the answer text and the turn counts as a normal stop.
 */
export function decodeAnthropicResponse(body: unknown, provider: string, structuredTool?: string): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body.content)) {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${provider}" returned a message without content`,
      upstream: { provider, body: JSON.stringify(body).slice(0, 2048) },
    });
  }
  const content = body.content.filter(isRecord).map((block) => decodeAnthropicBlock(block, structuredTool));
  let finishReason = mapAnthropicStopReason(body.stop_reason);
  if (structuredTool !== undefined && finishReason.unified === 'tool-calls' && !content.some((part) => part.type === 'tool-call')) {
    finishReason = { unified: 'stop', raw: finishReason.raw! };
  }
  const response: ChatResponse = {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    choices: [{ index: 0, content, finishReason }],
  };
  const usage = convertAnthropicUsage(body.usage);
  if (usage !== undefined) response.usage = usage;
  let extras: Json | undefined;
  for (const key in body) if (!MESSAGE_FIELDS.has(key)) (extras ??= {})[key] = body[key];
  if (extras !== undefined) response.providerMetadata = { anthropic: extras };
  return response;
}
