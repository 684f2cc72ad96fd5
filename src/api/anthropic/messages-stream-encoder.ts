import type { ChatRequest, FinishReason, GatewayError, ProviderMetadata, StreamEvent, Usage } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { SSE_HEADERS } from '../../transport/sse-writer.js';
import type { StreamEncoder, StreamEncoderInfo } from '../surface.js';
import { encodeAnthropicCitation } from './encode-anthropic-content.js';
import { anthropicErrorBody } from './encode-anthropic-error.js';
import { encodeAnthropicDeltaUsage, encodeAnthropicUsage } from './encode-anthropic-usage.js';
import { messageId } from './encode-messages-response.js';
import { mapFinishReasonToAnthropic } from './map-finish-reason-to-anthropic.js';

type Json = Record<string, unknown>;
type BlockEvent = Extract<StreamEvent, { id: string }>;

interface Block {
  kind: 'text' | 'thinking' | 'tool';
  /** Anthropic content index, once content_block_start was written. */
  index: number | undefined;
  /** Events that arrived while another block was open on the wire. */
  buffer: BlockEvent[];
  ended: boolean;
  /** The start event (tool name, redacted data). */
  start: BlockEvent;
}

function event(type: string, data: Json): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Canonical events → the Anthropic Messages event stream, from any provider: message_start
 * (with the usage known so far), then per block content_block_start, content_block_delta
 * (text_delta, citations_delta, thinking_delta, signature_delta, input_json_delta) and
 * content_block_stop, a ping after the first block starts, then message_delta (stop_reason and
 * cumulative usage) and message_stop; a failure is an `error` event.
 *
 * Anthropic blocks are strictly sequential. Providers that keep several blocks open at once
 * (OpenAI closes parallel tool calls only at the end) are serialised: a block that starts while
 * another is open is buffered and written, in order, when the open one ends. Empty text blocks
 * are not written, and an empty text block carrying a verbatim Anthropic block (server tool use,
 * web search results) is written as that block.
 */
export class MessagesStreamEncoder implements StreamEncoder {
  readonly headers = SSE_HEADERS;
  private readonly info: StreamEncoderInfo;
  private readonly blocks = new Map<string, Block>();
  private readonly queue: string[] = [];
  private current: string | undefined;
  private nextIndex = 0;
  private started = false;
  private pinged = false;
  private id: string | undefined;
  private model: string | undefined;
  private metadata: Json | undefined;
  private usage: Usage | undefined;
  private finishReason: FinishReason | undefined;
  private finishMetadata: Json | undefined;
  private refusalId: string | undefined;

  constructor(_request: ChatRequest, info: StreamEncoderInfo) {
    this.info = info;
  }

  encode(item: StreamEvent): string {
    if ((item.choice ?? 0) !== 0) return '';
    switch (item.type) {
      case 'response-metadata':
        if (!this.started) {
          if (item.id !== undefined) this.id = item.id;
          if (item.model !== undefined) this.model = item.model;
          if (item.providerMetadata?.anthropic !== undefined) this.metadata = item.providerMetadata.anthropic;
        }
        return '';
      case 'usage':
        this.usage = item.usage;
        return '';
      case 'finish':
        this.finishReason = item.finishReason;
        if (item.providerMetadata?.anthropic !== undefined) this.finishMetadata = item.providerMetadata.anthropic;
        return '';
      case 'text-start':
      case 'reasoning-start':
      case 'tool-input-start':
        return this.startBlock(item);
      case 'text-delta':
      case 'citation':
      case 'reasoning-delta':
      case 'reasoning-signature':
      case 'tool-input-delta':
        return this.blockEvent(item);
      case 'text-end':
      case 'reasoning-end':
      case 'tool-input-end':
        return this.endBlock(item);
      case 'tool-call':
        // Arguments were streamed already; a call seen for the first time is written whole.
        if (this.blocks.has(item.id)) return '';
        return (
          this.startBlock({ type: 'tool-input-start', id: item.id, name: item.name }) +
          this.blockEvent({ type: 'tool-input-delta', id: item.id, delta: item.arguments }) +
          this.endBlock({ type: 'tool-input-end', id: item.id })
        );
      case 'refusal-delta': {
        let out = '';
        if (this.refusalId === undefined) {
          this.refusalId = 'refusal';
          out += this.startBlock({ type: 'text-start', id: this.refusalId });
        }
        return out + this.blockEvent({ type: 'text-delta', id: this.refusalId, delta: item.delta });
      }
      case 'error':
        return this.error(item.error);
      default:
        return '';
    }
  }

  end(): string {
    let out = this.closeAll();
    out += this.messageStart();
    const delta: Json = { stop_reason: mapFinishReasonToAnthropic(this.finishReason), stop_sequence: null };
    if (this.finishMetadata !== undefined) Object.assign(delta, this.finishMetadata);
    out += event('message_delta', { type: 'message_delta', delta, usage: encodeAnthropicDeltaUsage(this.usage) });
    out += event('message_stop', { type: 'message_stop' });
    return out;
  }

  error(error: GatewayError): string {
    return `event: error\ndata: ${anthropicErrorBody(error)}\n\n`;
  }

  private messageStart(): string {
    if (this.started) return '';
    this.started = true;
    const message: Json = {
      id: messageId(this.id, this.info),
      type: 'message',
      role: 'assistant',
      model: this.model || this.info.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: encodeAnthropicUsage(this.usage),
      ...this.metadata,
    };
    return event('message_start', { type: 'message_start', message });
  }

  private startBlock(item: Extract<StreamEvent, { type: 'text-start' | 'reasoning-start' | 'tool-input-start' }>): string {
    if (this.blocks.has(item.id)) return '';
    const kind = item.type === 'text-start' ? 'text' : item.type === 'reasoning-start' ? 'thinking' : 'tool';
    this.blocks.set(item.id, { kind, index: undefined, buffer: [], ended: false, start: item });
    if (this.current !== undefined) {
      this.queue.push(item.id);
      return '';
    }
    return this.activate(item.id);
  }

  private blockEvent(item: BlockEvent): string {
    const block = this.blocks.get(item.id);
    if (block === undefined || block.ended) return '';
    if (this.current !== item.id) {
      block.buffer.push(item);
      return '';
    }
    return this.write(block, item);
  }

  private endBlock(item: BlockEvent): string {
    const block = this.blocks.get(item.id);
    if (block === undefined || block.ended) return '';
    if (this.current !== item.id) {
      block.buffer.push(item);
      return '';
    }
    return this.finishBlock(item.id, block, item) + this.drain();
  }

  /** Make a block the one open on the wire and replay what it buffered. */
  private activate(id: string): string {
    const block = this.blocks.get(id)!;
    this.current = id;
    // Text is opened lazily: an empty text block is never written.
    let out = block.kind === 'text' ? '' : this.open(block);
    for (const item of block.buffer.splice(0)) {
      if (item.type === 'text-end' || item.type === 'reasoning-end' || item.type === 'tool-input-end') {
        out += this.finishBlock(id, block, item);
        break;
      }
      out += this.write(block, item);
    }
    return out;
  }

  private drain(): string {
    let out = '';
    while (this.current === undefined && this.queue.length > 0) out += this.activate(this.queue.shift()!);
    return out;
  }

  private open(block: Block, contentBlock?: Json): string {
    let out = this.messageStart();
    block.index = this.nextIndex++;
    const start = block.start;
    let content: Json;
    if (contentBlock !== undefined) content = contentBlock;
    else if (block.kind === 'text') content = { type: 'text', text: '' };
    else if (block.kind === 'thinking') {
      const redacted = start.type === 'reasoning-start' ? start.redactedData : undefined;
      content = redacted !== undefined ? { type: 'redacted_thinking', data: redacted } : { type: 'thinking', thinking: '', signature: '' };
    } else content = { type: 'tool_use', id: start.id, name: start.type === 'tool-input-start' ? start.name : '', input: {} };
    out += event('content_block_start', { type: 'content_block_start', index: block.index, content_block: content });
    if (!this.pinged) {
      this.pinged = true;
      out += event('ping', { type: 'ping' });
    }
    return out;
  }

  private delta(block: Block, delta: Json): string {
    return event('content_block_delta', { type: 'content_block_delta', index: block.index, delta });
  }

  private write(block: Block, item: BlockEvent): string {
    if (item.type === 'text-delta' && item.delta === '') return '';
    const out = block.index === undefined ? this.open(block) : '';
    switch (item.type) {
      case 'text-delta':
        return out + this.delta(block, { type: 'text_delta', text: item.delta });
      case 'citation':
        return out + this.delta(block, { type: 'citations_delta', citation: encodeAnthropicCitation(item.citation) });
      case 'reasoning-delta':
        return out + this.delta(block, { type: 'thinking_delta', thinking: item.delta });
      case 'reasoning-signature':
        return out + this.delta(block, { type: 'signature_delta', signature: item.signature });
      case 'tool-input-delta':
        return out + this.delta(block, { type: 'input_json_delta', partial_json: item.delta });
      default:
        return out;
    }
  }

  private finishBlock(id: string, block: Block, item: BlockEvent | undefined): string {
    block.ended = true;
    if (this.current === id) this.current = undefined;
    if (block.index === undefined) {
      // A text block that never had text: nothing, or the verbatim Anthropic block it carries.
      const carried = item?.type === 'text-end' ? verbatimBlock(item.providerMetadata) : undefined;
      if (carried === undefined) return '';
      return this.writeVerbatim(block, carried);
    }
    return event('content_block_stop', { type: 'content_block_stop', index: block.index });
  }

  /** A server tool block: its start (input streamed as one input_json_delta), then its stop. */
  private writeVerbatim(block: Block, carried: Json): string {
    const hasInput = carried.type === 'server_tool_use' || carried.type === 'mcp_tool_use';
    let out = this.open(block, hasInput ? { ...carried, input: {} } : carried);
    if (hasInput && isRecord(carried.input) && Object.keys(carried.input).length > 0) {
      out += this.delta(block, { type: 'input_json_delta', partial_json: JSON.stringify(carried.input) });
    }
    return out + event('content_block_stop', { type: 'content_block_stop', index: block.index });
  }

  /** Close whatever is open or waiting (the stream is ending). */
  private closeAll(): string {
    let out = '';
    for (;;) {
      if (this.current !== undefined) {
        const block = this.blocks.get(this.current)!;
        out += this.finishBlock(this.current, block, undefined);
      }
      if (this.queue.length === 0) break;
      out += this.activate(this.queue.shift()!);
    }
    return out;
  }
}

function verbatimBlock(metadata: ProviderMetadata | undefined): Json | undefined {
  const block = metadata?.anthropic?.block;
  return isRecord(block) ? block : undefined;
}
