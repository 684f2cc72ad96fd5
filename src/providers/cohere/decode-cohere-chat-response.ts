import type { AssistantContentPart, ChatResponse, Citation, TextPart } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { citationContentIndex, citesAnswerText, convertCohereCitation } from './convert-cohere-citations.js';
import { convertCohereLogprobs } from './convert-cohere-logprobs.js';
import { convertCohereUsage } from './convert-cohere-usage.js';
import { mapCohereFinishReason } from './map-cohere-finish-reason.js';

const RESPONSE_FIELDS = new Set(['id', 'finish_reason', 'message', 'usage', 'logprobs']);
const MESSAGE_FIELDS = new Set(['role', 'content', 'tool_plan', 'tool_calls', 'citations']);

/** Cohere sends `null` (or nothing) as the arguments of a call to a tool without parameters. */
export function normaliseCohereArguments(args: unknown): string {
  if (typeof args !== 'string') return args === undefined || args === null ? '{}' : JSON.stringify(args);
  const trimmed = args.trim();
  return trimmed === '' || trimmed === 'null' ? '{}' : args;
}

function extras(source: Record<string, unknown>, known: Set<string>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key in source) if (!known.has(key)) (out ??= {})[key] = source[key];
  return out;
}

/**
 * A Cohere v2 chat response → canonical. Order of parts: content blocks as sent (thinking,
 * text), then the tool plan as text, then tool calls. Citations attach to the text block they
 * name (`content_index`) or the first text block.
 */
export function decodeCohereChatResponse(body: unknown, provider: string, model: string): ChatResponse {
  if (!isRecord(body) || !isRecord(body.message)) {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${provider}" returned a chat response without a message`,
      upstream: { provider, body: JSON.stringify(body).slice(0, 2048) },
    });
  }
  const message = body.message;
  const content: AssistantContentPart[] = [];
  const textByIndex = new Map<number, TextPart>();
  if (typeof message.content === 'string' && message.content !== '') {
    const part: TextPart = { type: 'text', text: message.content };
    textByIndex.set(0, part);
    content.push(part);
  } else if (Array.isArray(message.content)) {
    message.content.forEach((item, index) => {
      if (!isRecord(item)) return;
      if (item.type === 'thinking' && typeof item.thinking === 'string') {
        content.push({ type: 'reasoning', text: item.thinking });
      } else if (item.type === 'text' && typeof item.text === 'string') {
        const part: TextPart = { type: 'text', text: item.text };
        textByIndex.set(index, part);
        content.push(part);
      }
    });
  }
  if (typeof message.tool_plan === 'string' && message.tool_plan !== '') content.push({ type: 'text', text: message.tool_plan });
  if (Array.isArray(message.citations)) {
    for (const raw of message.citations) {
      const citation: Citation | undefined = citesAnswerText(raw) ? convertCohereCitation(raw) : undefined;
      if (citation === undefined) continue;
      const index = citationContentIndex(raw);
      const target = (index === undefined ? undefined : textByIndex.get(index)) ?? textByIndex.values().next().value;
      if (target !== undefined) (target.citations ??= []).push(citation);
    }
  }
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call, position) => {
      if (!isRecord(call)) return;
      const fn = isRecord(call.function) ? call.function : {};
      content.push({
        type: 'tool-call',
        id: typeof call.id === 'string' ? call.id : `call_${position}`,
        name: typeof fn.name === 'string' ? fn.name : '',
        arguments: normaliseCohereArguments(fn.arguments),
      });
    });
  }
  const response: ChatResponse = {
    id: typeof body.id === 'string' ? body.id : '',
    model,
    choices: [{ index: 0, content, finishReason: mapCohereFinishReason(body.finish_reason) }],
  };
  const logprobs = convertCohereLogprobs(body.logprobs);
  if (logprobs !== undefined) response.choices[0]!.logprobs = logprobs;
  const usage = convertCohereUsage(body.usage);
  if (usage !== undefined) response.usage = usage;
  const responseExtras = extras(body, RESPONSE_FIELDS);
  const messageExtras = extras(message, MESSAGE_FIELDS);
  if (responseExtras !== undefined || messageExtras !== undefined) {
    response.providerMetadata = { cohere: { ...responseExtras, ...(messageExtras === undefined ? {} : { message: messageExtras }) } };
  }
  return response;
}
