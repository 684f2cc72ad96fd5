import type { FinishReason, GatewayError, StreamEvent, Usage } from '../../core/index.js';
import { formatSseEvent, SSE_HEADERS } from '../../transport/sse-writer.js';
import type { StreamEncoder, StreamEncoderInfo } from '../surface.js';
import { encodeCohereCitation } from './encode-cohere-citation.js';
import { encodeCohereUsage } from './encode-cohere-usage.js';
import { mapFinishReasonToCohere } from './map-finish-reason-to-cohere.js';

function event(type: string, body: Record<string, unknown>): string {
  return formatSseEvent(JSON.stringify({ type, ...body }), type);
}

/**
 * Canonical events → Cohere v2 chat stream (`event: <type>` + `data: {...,"type":<type>}`):
 * message-start; content-start/delta/end for text and thinking blocks (numbered in order);
 * tool-plan-delta for a Cohere tool plan; tool-call-start/delta/end; citation-start/end;
 * message-end with finish_reason and usage. Usage can arrive after the finish (OpenAI), so
 * message-end is written when the stream ends. A failure is a message-end with finish_reason
 * ERROR and `error`, as Cohere reports one. Only choice 0 is encoded.
 */
export class CohereChatStreamEncoder implements StreamEncoder {
  readonly headers = SSE_HEADERS;
  private readonly info: StreamEncoderInfo;
  private started = false;
  private nextContent = 0;
  private nextTool = 0;
  private nextCitation = 0;
  /** Canonical block id → Cohere content index. */
  private readonly contentIndex = new Map<string, number>();
  private readonly toolIndex = new Map<string, number>();
  private readonly toolsDone = new Set<string>();
  private readonly contentDone = new Set<string>();
  private readonly texts = new Map<string, string>();
  private usage: Usage | undefined;
  private finishReason: FinishReason | undefined;

  constructor(info: StreamEncoderInfo) {
    this.info = info;
  }

  encode(input: StreamEvent): string {
    if ((input.choice ?? 0) !== 0) return '';
    let out = this.start(input.type === 'response-metadata' ? input.id : undefined);
    switch (input.type) {
      case 'text-start':
        if (!input.id.startsWith('tool-plan-')) out += this.openContent(input.id, { type: 'text', text: '' });
        break;
      case 'text-delta':
        if (input.id.startsWith('tool-plan-')) out += event('tool-plan-delta', { delta: { message: { tool_plan: input.delta } } });
        else {
          this.texts.set(input.id, (this.texts.get(input.id) ?? '') + input.delta);
          out += this.contentDelta(input.id, { text: input.delta }, { type: 'text', text: '' });
        }
        break;
      case 'refusal-delta':
        out += this.contentDelta('refusal', { text: input.delta }, { type: 'text', text: '' });
        break;
      case 'reasoning-start':
        if (input.redactedData === undefined) out += this.openContent(input.id, { type: 'thinking', thinking: '' });
        break;
      case 'reasoning-delta':
        out += this.contentDelta(input.id, { thinking: input.delta }, { type: 'thinking', thinking: '' });
        break;
      case 'text-end':
      case 'reasoning-end':
        out += this.closeContent(input.id);
        break;
      case 'tool-input-start':
        out += this.openTool(input.id, input.name);
        break;
      case 'tool-input-delta':
        out += event('tool-call-delta', { index: this.toolIndex.get(input.id) ?? 0, delta: { message: { tool_calls: { function: { arguments: input.delta } } } } });
        break;
      case 'tool-input-end':
        out += this.closeTool(input.id);
        break;
      case 'tool-call':
        if (!this.toolIndex.has(input.id)) {
          out += this.openTool(input.id, input.name);
          if (input.arguments !== '') {
            out += event('tool-call-delta', { index: this.toolIndex.get(input.id), delta: { message: { tool_calls: { function: { arguments: input.arguments } } } } });
          }
          out += this.closeTool(input.id);
        }
        break;
      case 'citation': {
        const index = this.nextCitation++;
        const citation = encodeCohereCitation(input.citation, this.texts.get(input.id), this.contentIndex.get(input.id));
        out += event('citation-start', { index, delta: { message: { citations: citation } } });
        out += event('citation-end', { index });
        break;
      }
      case 'usage':
        this.usage = input.usage;
        break;
      case 'finish':
        this.finishReason = input.finishReason;
        break;
      case 'error':
        out += this.error(input.error);
        break;
      default:
        break;
    }
    return out;
  }

  end(): string {
    return this.start(undefined) + this.closeAll() + event('message-end', { delta: { finish_reason: mapFinishReasonToCohere(this.finishReason), usage: encodeCohereUsage(this.usage) } });
  }

  error(error: GatewayError): string {
    return (
      this.start(undefined) +
      this.closeAll() +
      event('message-end', { delta: { error: error.message, finish_reason: error.code === 'upstream_timeout' ? 'TIMEOUT' : 'ERROR', usage: encodeCohereUsage(this.usage) } })
    );
  }

  private start(id: string | undefined): string {
    if (this.started) return '';
    this.started = true;
    return formatSseEvent(
      JSON.stringify({
        id: id || this.info.requestId,
        type: 'message-start',
        delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } },
      }),
      'message-start',
    );
  }

  private openContent(id: string, content: Record<string, unknown>): string {
    if (this.contentIndex.has(id)) return '';
    const index = this.nextContent++;
    this.contentIndex.set(id, index);
    return event('content-start', { index, delta: { message: { content } } });
  }

  private contentDelta(id: string, content: Record<string, unknown>, initial: Record<string, unknown>): string {
    const open = this.openContent(id, initial);
    return open + event('content-delta', { index: this.contentIndex.get(id), delta: { message: { content } } });
  }

  private closeContent(id: string): string {
    const index = this.contentIndex.get(id);
    // The index stays known: citations may refer to a closed block.
    if (index === undefined || this.contentDone.has(id)) return '';
    this.contentDone.add(id);
    return event('content-end', { index });
  }

  private openTool(id: string, name: string): string {
    const index = this.nextTool++;
    this.toolIndex.set(id, index);
    return event('tool-call-start', { index, delta: { message: { tool_calls: { id, type: 'function', function: { name, arguments: '' } } } } });
  }

  private closeTool(id: string): string {
    if (this.toolsDone.has(id)) return '';
    this.toolsDone.add(id);
    return event('tool-call-end', { index: this.toolIndex.get(id) ?? 0 });
  }

  private closeAll(): string {
    let out = '';
    for (const id of this.contentIndex.keys()) out += this.closeContent(id);
    for (const id of this.toolIndex.keys()) out += this.closeTool(id);
    return out;
  }
}
