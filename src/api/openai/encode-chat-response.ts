import type { ChatChoice, ChatResponse, Citation } from '../../core/index.js';
import { encodeOpenAiLogprobs } from '../../providers/openai/convert-openai-logprobs.js';
import type { StreamEncoderInfo } from '../surface.js';
import { encodeOpenAiUsage } from './encode-openai-usage.js';
import { mapFinishReasonToOpenAi } from './map-finish-reason-to-openai.js';

type Json = Record<string, unknown>;

function isOpenAiAnnotation(raw: unknown): raw is Json {
  return typeof raw === 'object' && raw !== null && (raw as Json).type === 'url_citation';
}

/**
 * Canonical citations → OpenAI url_citation annotations. An annotation that came from an
 * OpenAI-dialect provider is returned as it was; citations from other providers (Anthropic web
 * search, Cohere, ...) are rebuilt in OpenAI's shape.
 */
export function encodeAnnotations(citations: Citation[]): Json[] {
  return citations.map((citation) =>
    isOpenAiAnnotation(citation.raw)
      ? citation.raw
      : {
          type: 'url_citation',
          url_citation: {
            url: citation.url ?? '',
            title: citation.title ?? '',
            start_index: citation.startIndex ?? 0,
            end_index: citation.endIndex ?? 0,
          },
        },
  );
}

/** Build the OpenAI `message` of a choice. */
export function encodeChoiceMessage(choice: ChatChoice): Json {
  const message: Json = { role: 'assistant' };
  let text: string | null = null;
  let reasoning = '';
  const thinkingBlocks: Json[] = [];
  let needsBlocks = false;
  const toolCalls: Json[] = [];
  const annotations: Citation[] = [];
  let refusal: string | null = null;
  for (const part of choice.content) {
    switch (part.type) {
      case 'text':
        text = (text ?? '') + part.text;
        if (part.citations !== undefined) annotations.push(...part.citations);
        break;
      case 'reasoning':
        reasoning += part.text;
        if (part.redactedData !== undefined) {
          thinkingBlocks.push({ type: 'redacted_thinking', data: part.redactedData });
          needsBlocks = true;
        } else {
          thinkingBlocks.push({ type: 'thinking', thinking: part.text, ...(part.signature === undefined ? {} : { signature: part.signature }) });
          if (part.signature !== undefined) needsBlocks = true;
        }
        break;
      case 'refusal':
        refusal = (refusal ?? '') + part.text;
        break;
      case 'tool-call':
        toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
        break;
      default:
        break;
    }
  }
  message.content = text;
  if (refusal !== null) message.refusal = refusal;
  if (reasoning !== '' || needsBlocks) message.reasoning_content = reasoning;
  // Signed reasoning must come back on the next turn; thinking_blocks carries it (LiteLLM's convention).
  if (needsBlocks) message.thinking_blocks = thinkingBlocks;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (annotations.length > 0) message.annotations = encodeAnnotations(annotations);
  const extras = choice.providerMetadata?.openai?.message as Json | undefined;
  return extras === undefined ? message : { ...message, ...extras };
}

/** Canonical response → OpenAI chat.completion body. */
export function encodeOpenAiChatResponse(response: ChatResponse, info: StreamEncoderInfo): string {
  const body: Json = {
    id: response.id || `chatcmpl-${info.requestId}`,
    object: 'chat.completion',
    created: response.created ?? Math.floor(Date.now() / 1000),
    model: response.model || info.model,
    choices: response.choices.map((choice) => {
      const encoded: Json = { index: choice.index, message: encodeChoiceMessage(choice) };
      encoded.logprobs = choice.logprobs === undefined ? null : encodeOpenAiLogprobs(choice.logprobs);
      encoded.finish_reason = mapFinishReasonToOpenAi(choice.finishReason);
      const extras = choice.providerMetadata?.openai?.choice as Json | undefined;
      return extras === undefined ? encoded : { ...encoded, ...extras };
    }),
  };
  if (response.usage !== undefined) body.usage = encodeOpenAiUsage(response.usage);
  const extras = response.providerMetadata?.openai;
  return JSON.stringify(extras === undefined ? body : { ...body, ...extras });
}
