import type { AssistantContentPart, ChatChoice, ChatResponse, Citation, TextPart } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { convertOpenAiLogprobs } from './convert-openai-logprobs.js';
import { convertOpenAiUsage } from './convert-openai-usage.js';
import { mapOpenAiFinishReason } from './map-openai-finish-reason.js';

const RESPONSE_FIELDS = new Set(['id', 'object', 'created', 'model', 'choices', 'usage']);
const CHOICE_FIELDS = new Set(['index', 'message', 'finish_reason', 'logprobs']);
const MESSAGE_FIELDS = new Set(['role', 'content', 'tool_calls', 'reasoning_content', 'reasoning']);

function extras(source: Record<string, unknown>, known: Set<string>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key in source) if (!known.has(key)) (out ??= {})[key] = source[key];
  return out;
}

/** OpenAI url_citation annotations → canonical citations. */
export function convertOpenAiAnnotations(annotations: unknown): Citation[] | undefined {
  if (!Array.isArray(annotations) || annotations.length === 0) return undefined;
  const out: Citation[] = [];
  for (const annotation of annotations) {
    if (!isRecord(annotation)) continue;
    const url = isRecord(annotation.url_citation) ? annotation.url_citation : undefined;
    if (url !== undefined) {
      out.push({
        type: 'url',
        ...(typeof url.url === 'string' ? { url: url.url } : {}),
        ...(typeof url.title === 'string' ? { title: url.title } : {}),
        ...(typeof url.start_index === 'number' ? { startIndex: url.start_index } : {}),
        ...(typeof url.end_index === 'number' ? { endIndex: url.end_index } : {}),
        raw: annotation,
      });
    } else {
      out.push({ type: 'other', raw: annotation });
    }
  }
  return out;
}

/**
 * Message content may be a string or, from Mistral, an array of typed chunks including
 * `thinking` chunks; both become canonical parts.
 */
function contentParts(content: unknown, citations: Citation[] | undefined): AssistantContentPart[] {
  if (typeof content === 'string') {
    if (content === '' && citations === undefined) return [];
    const part: TextPart = { type: 'text', text: content };
    if (citations !== undefined) part.citations = citations;
    return [part];
  }
  if (!Array.isArray(content)) return [];
  const out: AssistantContentPart[] = [];
  for (const chunk of content) {
    if (!isRecord(chunk)) continue;
    if (chunk.type === 'text' && typeof chunk.text === 'string') out.push({ type: 'text', text: chunk.text });
    else if (chunk.type === 'thinking') out.push({ type: 'reasoning', text: thinkingText(chunk.thinking) });
  }
  return out;
}

export function thinkingText(thinking: unknown): string {
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) return '';
  let text = '';
  for (const item of thinking) if (isRecord(item) && typeof item.text === 'string') text += item.text;
  return text;
}

function decodeChoice(choice: Record<string, unknown>, position: number): ChatChoice {
  const message = isRecord(choice.message) ? choice.message : {};
  const content: AssistantContentPart[] = [];
  const reasoning = typeof message.reasoning_content === 'string' ? message.reasoning_content : typeof message.reasoning === 'string' ? message.reasoning : undefined;
  if (reasoning !== undefined && reasoning !== '') content.push({ type: 'reasoning', text: reasoning });
  content.push(...contentParts(message.content, convertOpenAiAnnotations(message.annotations)));
  if (typeof message.refusal === 'string') content.push({ type: 'refusal', text: message.refusal });
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (!isRecord(call)) continue;
      const fn = isRecord(call.function) ? call.function : {};
      const args = fn.arguments;
      content.push({
        type: 'tool-call',
        id: typeof call.id === 'string' ? call.id : `call_${content.length}`,
        name: typeof fn.name === 'string' ? fn.name : '',
        arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      });
    }
  }
  const out: ChatChoice = {
    index: typeof choice.index === 'number' ? choice.index : position,
    content,
    finishReason: mapOpenAiFinishReason(choice.finish_reason),
  };
  const logprobs = convertOpenAiLogprobs(choice.logprobs);
  if (logprobs !== undefined) out.logprobs = logprobs;
  const messageExtras = extras(message, MESSAGE_FIELDS);
  let choiceExtras = extras(choice, CHOICE_FIELDS);
  // Mirror an absent `logprobs` key (an undefined value drops out of JSON.stringify).
  if (!('logprobs' in choice)) (choiceExtras ??= {}).logprobs = undefined;
  if (messageExtras !== undefined || choiceExtras !== undefined) {
    out.providerMetadata = {
      openai: {
        ...(messageExtras === undefined ? {} : { message: messageExtras }),
        ...(choiceExtras === undefined ? {} : { choice: choiceExtras }),
      },
    };
  }
  return out;
}

/** An OpenAI chat.completion body → canonical response. */
export function decodeOpenAiChatResponse(body: unknown, provider: string): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${provider}" returned a chat completion without choices`,
      upstream: { provider, body: JSON.stringify(body).slice(0, 2048) },
    });
  }
  const response: ChatResponse = {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    choices: body.choices.filter(isRecord).map(decodeChoice),
  };
  if (typeof body.created === 'number') response.created = body.created;
  const usage = convertOpenAiUsage(body.usage);
  if (usage !== undefined) response.usage = usage;
  const responseExtras = extras(body, RESPONSE_FIELDS);
  if (responseExtras !== undefined) response.providerMetadata = { openai: responseExtras };
  return response;
}
