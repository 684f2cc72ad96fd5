import type { ChatResponse, TextPart } from '../../core/index.js';
import type { StreamEncoderInfo } from '../surface.js';
import { encodeCohereCitation } from './encode-cohere-citation.js';
import { encodeCohereUsage } from './encode-cohere-usage.js';
import { mapFinishReasonToCohere } from './map-finish-reason-to-cohere.js';

type Json = Record<string, unknown>;

/**
 * Canonical response → Cohere v2 chat response. Following Cohere's own shape, text that comes
 * with tool calls is the `tool_plan`; otherwise text and reasoning are `content` blocks. Only
 * the first choice is encoded (Cohere has no `n`).
 */
export function encodeCohereChatResponse(response: ChatResponse, info: StreamEncoderInfo): string {
  const choice = response.choices[0];
  const parts = choice?.content ?? [];
  const hasToolCalls = parts.some((part) => part.type === 'tool-call');
  const message: Json = { role: 'assistant' };
  const content: Json[] = [];
  const toolCalls: Json[] = [];
  const citations: Json[] = [];
  let plan = '';
  const texts: TextPart[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'reasoning':
        if (part.redactedData === undefined) content.push({ type: 'thinking', thinking: part.text });
        break;
      case 'text':
      case 'refusal':
        if (hasToolCalls) plan += part.text;
        else {
          if (part.type === 'text') texts.push(part);
          for (const citation of (part.type === 'text' ? part.citations : undefined) ?? []) {
            citations.push(encodeCohereCitation(citation, part.text, content.length));
          }
          content.push({ type: 'text', text: part.text });
        }
        break;
      case 'tool-call':
        toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
        break;
      default:
        break;
    }
  }
  if (hasToolCalls) {
    message.tool_plan = plan;
    message.tool_calls = toolCalls;
  }
  message.content = content;
  if (citations.length > 0) message.citations = citations;
  const extras = response.providerMetadata?.cohere;
  const messageExtras = extras?.message as Json | undefined;
  const body: Json = {
    id: response.id || info.requestId,
    finish_reason: mapFinishReasonToCohere(choice?.finishReason),
    message: messageExtras === undefined ? message : { ...message, ...messageExtras },
    usage: encodeCohereUsage(response.usage),
  };
  if (choice?.logprobs?.content) {
    body.logprobs = choice.logprobs.content.map((token) => ({ text: token.token, logprobs: [token.logprob] }));
  }
  if (extras !== undefined) for (const key in extras) if (key !== 'message' && body[key] === undefined) body[key] = extras[key];
  return JSON.stringify(body);
}
