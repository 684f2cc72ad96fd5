import type { ChatRequest, GatewayError, StreamEvent, Usage } from '../../core/index.js';
import { encodeOpenAiLogprobs } from '../../providers/openai/convert-openai-logprobs.js';
import { SSE_HEADERS } from '../../transport/sse-writer.js';
import type { StreamEncoder, StreamEncoderInfo } from '../surface.js';
import { encodeAnnotations } from './encode-chat-response.js';
import { openAiErrorObject } from './encode-error.js';
import { encodeOpenAiUsage } from './encode-openai-usage.js';
import { mapFinishReasonToOpenAi } from './map-finish-reason-to-openai.js';

const METADATA_FIELDS = ['service_tier', 'system_fingerprint', 'provider'];

/**
 * Canonical events → OpenAI chat.completion.chunk events. The part of every chunk before
 * `choices` is built once, so each event costs one small JSON.stringify.
 */
export class OpenAiChatStreamEncoder implements StreamEncoder {
  readonly headers = SSE_HEADERS;
  private readonly info: StreamEncoderInfo;
  private readonly includeUsage: boolean;
  private prefix: string | undefined;
  private usage: Usage | undefined;
  private readonly rolesSent = new Set<number>();
  /** Tool call id → its index within the choice's tool_calls. */
  private readonly toolIndex = new Map<string, number>();
  private readonly toolCount = new Map<number, number>();

  constructor(request: ChatRequest, info: StreamEncoderInfo) {
    this.info = info;
    this.includeUsage = request.includeUsage === true;
  }

  encode(event: StreamEvent): string {
    const choice = event.choice ?? 0;
    switch (event.type) {
      case 'response-metadata': {
        if (this.prefix !== undefined) return '';
        this.buildPrefix(event.id, event.created, event.model, event.providerMetadata?.openai);
        this.rolesSent.add(0);
        return this.chunk(0, { role: 'assistant', content: '' });
      }
      case 'text-delta':
        return this.chunk(choice, { content: event.delta });
      case 'reasoning-start':
        return event.redactedData === undefined
          ? ''
          : this.chunk(choice, { thinking_blocks: [{ type: 'redacted_thinking', data: event.redactedData }] });
      case 'reasoning-delta':
        return this.chunk(choice, { reasoning_content: event.delta });
      case 'reasoning-signature':
        return this.chunk(choice, { thinking_blocks: [{ type: 'thinking', thinking: '', signature: event.signature }] });
      case 'refusal-delta':
        return this.chunk(choice, { refusal: event.delta });
      case 'citation':
        return this.chunk(choice, { annotations: encodeAnnotations([event.citation]) });
      case 'tool-input-start': {
        const index = this.toolCount.get(choice) ?? 0;
        this.toolCount.set(choice, index + 1);
        this.toolIndex.set(`${choice}:${event.id}`, index);
        return this.chunk(choice, {
          tool_calls: [{ index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }],
        });
      }
      case 'tool-input-delta': {
        const index = this.toolIndex.get(`${choice}:${event.id}`) ?? 0;
        return this.chunk(choice, { tool_calls: [{ index, function: { arguments: event.delta } }] });
      }
      case 'logprobs':
        return this.chunk(choice, {}, { logprobs: encodeOpenAiLogprobs(event) });
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        return this.chunk(choice, {}, { finish_reason: mapFinishReasonToOpenAi(event.finishReason) });
      case 'error':
        return this.error(event.error);
      default:
        return '';
    }
  }

  end(): string {
    let out = '';
    if (this.includeUsage && this.usage !== undefined) {
      out += `data: ${this.ensurePrefix()}"choices":[],"usage":${JSON.stringify(encodeOpenAiUsage(this.usage))}}\n\n`;
    }
    return `${out}data: [DONE]\n\n`;
  }

  error(error: GatewayError): string {
    return `data: ${JSON.stringify({ error: openAiErrorObject(error) })}\n\n`;
  }

  private buildPrefix(id: string | undefined, created: number | undefined, model: string | undefined, extras?: Record<string, unknown>): string {
    let prefix =
      `{"id":${JSON.stringify(id || `chatcmpl-${this.info.requestId}`)},"object":"chat.completion.chunk",` +
      `"created":${created ?? Math.floor(Date.now() / 1000)},"model":${JSON.stringify(model || this.info.model)},`;
    if (extras !== undefined) {
      for (const field of METADATA_FIELDS) {
        if (extras[field] !== undefined) prefix += `${JSON.stringify(field)}:${JSON.stringify(extras[field])},`;
      }
    }
    this.prefix = prefix;
    return prefix;
  }

  private ensurePrefix(): string {
    return this.prefix ?? this.buildPrefix(undefined, undefined, undefined);
  }

  private chunk(choice: number, delta: Record<string, unknown>, fields?: Record<string, unknown>): string {
    const prefix = this.ensurePrefix();
    if (!this.rolesSent.has(choice)) {
      this.rolesSent.add(choice);
      delta = { role: 'assistant', ...delta };
    }
    const body = { index: choice, delta, logprobs: null, finish_reason: null, ...fields };
    return `data: ${prefix}"choices":[${JSON.stringify(body)}]}\n\n`;
  }
}
