import type { AssistantContentPart, Citation, FinishReason, GatewayError, ReasoningPart, StreamEvent, TokenLogprob, Usage } from '../../core/index.js';
import type { BuiltinOutputItem } from '../../providers/openai-responses/decode-responses-output.js';
import { RESPONSES_FAMILY } from '../../providers/openai-responses/responses-family.js';
import { SSE_HEADERS } from '../../transport/sse-writer.js';
import type { StreamEncoder, StreamEncoderInfo } from '../surface.js';
import type { ResponsesRequestInfo } from './decode-responses-request.js';
import { encodeAnnotation, encodeCallItem, encodeLogprobs, encodeReasoningItem } from './encode-responses-output.js';
import { encodeResponsesUsage } from './encode-responses-usage.js';
import { errorObject, responseIdFor, responseObject, statusFor, upstreamExtras, type ResponseIdentity } from './encode-responses-response.js';
import { openAiErrorObject } from '../openai/encode-error.js';
import { newItemId } from './response-ids.js';

type Json = Record<string, unknown>;

interface TextState {
  kind: 'text';
  outputIndex: number;
  itemId: string;
  text: string;
  annotations: Json[];
  citations: Citation[];
  logprobs: TokenLogprob[];
  part: number;
}
interface RefusalState {
  kind: 'refusal';
  outputIndex: number;
  itemId: string;
  text: string;
  part: number;
}
interface ReasoningState {
  kind: 'reasoning';
  outputIndex: number;
  itemId: string;
  text: string;
  summaryOpen: boolean;
  redactedData?: string;
  signature?: string;
  part: number;
}
interface CallState {
  kind: 'call';
  outputIndex: number;
  itemId: string;
  name: string;
  args: string;
  custom: boolean;
  part: number;
}

/** Called once with the final response object and the output as canonical parts (for the store). */
export type ResponseCompleteListener = (response: Json, content: AssistantContentPart[]) => void;

/**
 * Canonical events → the Responses streaming event sequence, each event with its
 * `sequence_number`, and `output_index` / `item_id` / `content_index` as the API numbers them:
 * response.created, response.in_progress, then per block output_item.added (+ content_part.added)
 * → output_text.delta | reasoning_summary_text.delta | function_call_arguments.delta |
 * custom_tool_call_input.delta | refusal.delta → the matching .done events → output_item.done,
 * and finally response.completed or response.incomplete with the whole response and usage. A
 * failure after the start is an `error` event followed by response.failed.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  readonly headers = SSE_HEADERS;
  private readonly info: ResponsesRequestInfo;
  private readonly encoderInfo: StreamEncoderInfo;
  private readonly onComplete: ResponseCompleteListener | undefined;
  private identity: ResponseIdentity | undefined;
  private sequence = 0;
  private readonly output: Json[] = [];
  private readonly parts: Array<AssistantContentPart | undefined> = [];
  private readonly blocks = new Map<string, TextState | ReasoningState | CallState>();
  private refusal: RefusalState | undefined;
  private usage: Usage | undefined;
  private finishReason: FinishReason | undefined;
  private upstream: Json | undefined;
  private builtinItems: BuiltinOutputItem[] = [];
  private readonly includeEncrypted: boolean;

  constructor(info: ResponsesRequestInfo, encoderInfo: StreamEncoderInfo, onComplete?: ResponseCompleteListener) {
    this.info = info;
    this.encoderInfo = encoderInfo;
    this.onComplete = onComplete;
    this.includeEncrypted = info.include.includes('reasoning.encrypted_content');
  }

  /** The response id, once the stream has started. */
  get responseId(): string | undefined {
    return this.identity?.id;
  }

  encode(event: StreamEvent): string {
    let out = this.identity === undefined ? this.start(event.type === 'response-metadata' ? event : undefined) : '';
    if ((event.choice ?? 0) !== 0) return out;
    switch (event.type) {
      case 'text-start':
        out += this.openText(event.id);
        break;
      case 'text-delta': {
        const state = this.text(event.id);
        out += state.out;
        state.block.text += event.delta;
        out += this.event('response.output_text.delta', { item_id: state.block.itemId, output_index: state.block.outputIndex, content_index: 0, delta: event.delta, logprobs: [] });
        break;
      }
      case 'citation': {
        const state = this.text(event.id);
        out += state.out;
        const annotation = encodeAnnotation(event.citation);
        state.block.citations.push(event.citation);
        state.block.annotations.push(annotation);
        out += this.event('response.output_text.annotation.added', {
          item_id: state.block.itemId,
          output_index: state.block.outputIndex,
          content_index: 0,
          annotation_index: state.block.annotations.length - 1,
          annotation,
        });
        break;
      }
      case 'logprobs': {
        const open = [...this.blocks.values()].reverse().find((block): block is TextState => block.kind === 'text');
        if (open !== undefined && event.content) open.logprobs.push(...event.content);
        break;
      }
      case 'text-end':
        out += this.closeText(event.id);
        break;
      case 'refusal-delta':
        out += this.refusalDelta(event.delta);
        break;
      case 'reasoning-start':
        out += this.openReasoning(event.id, event.redactedData);
        break;
      case 'reasoning-delta':
        out += this.reasoningDelta(event.id, event.delta);
        break;
      case 'reasoning-signature': {
        const block = this.blocks.get(`reasoning:${event.id}`);
        if (block?.kind === 'reasoning') block.signature = event.signature;
        break;
      }
      case 'reasoning-end':
        out += this.closeReasoning(event.id, event.redactedData, event.providerMetadata);
        break;
      case 'tool-input-start':
        out += this.openCall(event.id, event.name, event.providerMetadata);
        break;
      case 'tool-input-delta': {
        const block = this.blocks.get(`call:${event.id}`);
        if (block?.kind !== 'call') break;
        block.args += event.delta;
        out += this.event(block.custom ? 'response.custom_tool_call_input.delta' : 'response.function_call_arguments.delta', {
          item_id: block.itemId,
          output_index: block.outputIndex,
          delta: event.delta,
        });
        break;
      }
      case 'tool-call':
        if (!this.blocks.has(`call:${event.id}`)) out += this.openCall(event.id, event.name, event.providerMetadata);
        out += this.closeCall(event.id, event.arguments, event.providerMetadata);
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'finish': {
        this.finishReason = event.finishReason;
        const own = event.providerMetadata?.[RESPONSES_FAMILY];
        if (Array.isArray(own?.builtinItems)) this.builtinItems = own.builtinItems as BuiltinOutputItem[];
        this.upstream = upstreamExtras(own);
        break;
      }
      default:
        break;
    }
    return out;
  }

  end(): string {
    let out = this.identity === undefined ? this.start(undefined) : '';
    out += this.closeAll();
    for (const entry of this.builtinItems) {
      const outputIndex = this.output.length;
      this.output.push(entry.item);
      out += this.event('response.output_item.added', { output_index: outputIndex, item: entry.item });
      out += this.event('response.output_item.done', { output_index: outputIndex, item: entry.item });
    }
    const { status, incomplete } = statusFor(this.finishReason);
    const response = this.snapshot(status, { incomplete, usage: this.usage === undefined ? null : encodeResponsesUsage(this.usage) });
    out += this.event(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
    this.onComplete?.(response, this.parts.filter((part): part is AssistantContentPart => part !== undefined));
    return out;
  }

  error(error: GatewayError): string {
    let out = this.identity === undefined ? this.start(undefined) : '';
    const detail = openAiErrorObject(error);
    out += this.event('error', { code: detail.code, message: detail.message, param: detail.param, error: detail });
    out += this.event('response.failed', { response: this.snapshot('failed', { error: errorObject(error), usage: this.usage === undefined ? null : encodeResponsesUsage(this.usage) }) });
    return out;
  }

  private event(type: string, fields: Json): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.sequence++, ...fields })}\n\n`;
  }

  private snapshot(status: string, extra: { usage?: Json | null; error?: Json; incomplete?: Json | null }): Json {
    return responseObject(this.identity!, this.info, {
      status,
      output: this.output,
      usage: extra.usage ?? null,
      ...(extra.error === undefined ? {} : { error: extra.error }),
      ...(extra.incomplete === undefined ? {} : { incomplete: extra.incomplete }),
      ...(this.upstream === undefined ? {} : { extras: this.upstream }),
    });
  }

  private start(metadata: Extract<StreamEvent, { type: 'response-metadata' }> | undefined): string {
    this.identity = {
      id: responseIdFor(metadata?.id),
      createdAt: metadata?.created ?? Math.floor(Date.now() / 1000),
      model: metadata?.model || this.encoderInfo.model,
    };
    const response = this.snapshot('in_progress', {});
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  private addItem(item: Json): number {
    this.output.push(item);
    this.parts.push(undefined);
    return this.output.length - 1;
  }

  private openText(id: string): string {
    const itemId = newItemId('msg');
    const outputIndex = this.addItem({ id: itemId, type: 'message', status: 'in_progress', content: [], role: 'assistant' });
    const block: TextState = { kind: 'text', outputIndex, itemId, text: '', annotations: [], citations: [], logprobs: [], part: outputIndex };
    this.blocks.set(`text:${id}`, block);
    return (
      this.event('response.output_item.added', { output_index: outputIndex, item: this.output[outputIndex] }) +
      this.event('response.content_part.added', { item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } })
    );
  }

  private text(id: string): { block: TextState; out: string } {
    let out = '';
    let block = this.blocks.get(`text:${id}`);
    if (block?.kind !== 'text') {
      out = this.openText(id);
      block = this.blocks.get(`text:${id}`) as TextState;
    }
    return { block, out };
  }

  private closeText(id: string): string {
    const block = this.blocks.get(`text:${id}`);
    if (block?.kind !== 'text') return '';
    this.blocks.delete(`text:${id}`);
    const logprobs = encodeLogprobs(block.logprobs);
    const part = { type: 'output_text', annotations: block.annotations, logprobs, text: block.text };
    const item = { id: block.itemId, type: 'message', status: 'completed', content: [part], role: 'assistant' };
    this.output[block.outputIndex] = item;
    this.parts[block.part] = { type: 'text', text: block.text, ...(block.citations.length > 0 ? { citations: block.citations } : {}) };
    return (
      this.event('response.output_text.done', { item_id: block.itemId, output_index: block.outputIndex, content_index: 0, text: block.text, logprobs }) +
      this.event('response.content_part.done', { item_id: block.itemId, output_index: block.outputIndex, content_index: 0, part }) +
      this.event('response.output_item.done', { output_index: block.outputIndex, item })
    );
  }

  private refusalDelta(delta: string): string {
    let out = '';
    if (this.refusal === undefined) {
      const itemId = newItemId('msg');
      const outputIndex = this.addItem({ id: itemId, type: 'message', status: 'in_progress', content: [], role: 'assistant' });
      this.refusal = { kind: 'refusal', outputIndex, itemId, text: '', part: outputIndex };
      out += this.event('response.output_item.added', { output_index: outputIndex, item: this.output[outputIndex] });
      out += this.event('response.content_part.added', { item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: 'refusal', refusal: '' } });
    }
    this.refusal.text += delta;
    return out + this.event('response.refusal.delta', { item_id: this.refusal.itemId, output_index: this.refusal.outputIndex, content_index: 0, delta });
  }

  private closeRefusal(): string {
    const block = this.refusal;
    if (block === undefined) return '';
    this.refusal = undefined;
    const part = { type: 'refusal', refusal: block.text };
    const item = { id: block.itemId, type: 'message', status: 'completed', content: [part], role: 'assistant' };
    this.output[block.outputIndex] = item;
    this.parts[block.part] = { type: 'refusal', text: block.text };
    return (
      this.event('response.refusal.done', { item_id: block.itemId, output_index: block.outputIndex, content_index: 0, refusal: block.text }) +
      this.event('response.content_part.done', { item_id: block.itemId, output_index: block.outputIndex, content_index: 0, part }) +
      this.event('response.output_item.done', { output_index: block.outputIndex, item })
    );
  }

  private openReasoning(id: string, redactedData: string | undefined): string {
    const itemId = id.startsWith('rs_') ? id : newItemId('rs');
    const outputIndex = this.addItem({ id: itemId, type: 'reasoning', summary: [] });
    this.blocks.set(`reasoning:${id}`, { kind: 'reasoning', outputIndex, itemId, text: '', summaryOpen: false, ...(redactedData === undefined ? {} : { redactedData }), part: outputIndex });
    return this.event('response.output_item.added', { output_index: outputIndex, item: this.output[outputIndex] });
  }

  private reasoningDelta(id: string, delta: string): string {
    let out = '';
    let block = this.blocks.get(`reasoning:${id}`);
    if (block?.kind !== 'reasoning') {
      out += this.openReasoning(id, undefined);
      block = this.blocks.get(`reasoning:${id}`) as ReasoningState;
    }
    if (!block.summaryOpen) {
      block.summaryOpen = true;
      out += this.event('response.reasoning_summary_part.added', { item_id: block.itemId, output_index: block.outputIndex, summary_index: 0, part: { type: 'summary_text', text: '' } });
    }
    block.text += delta;
    return out + this.event('response.reasoning_summary_text.delta', { item_id: block.itemId, output_index: block.outputIndex, summary_index: 0, delta });
  }

  private closeReasoning(id: string, redactedData: string | undefined, metadata: Record<string, Json> | undefined): string {
    const block = this.blocks.get(`reasoning:${id}`);
    if (block?.kind !== 'reasoning') return '';
    this.blocks.delete(`reasoning:${id}`);
    let out = '';
    if (block.summaryOpen) {
      const part = { type: 'summary_text', text: block.text };
      out += this.event('response.reasoning_summary_text.done', { item_id: block.itemId, output_index: block.outputIndex, summary_index: 0, text: block.text });
      out += this.event('response.reasoning_summary_part.done', { item_id: block.itemId, output_index: block.outputIndex, summary_index: 0, part });
    }
    const data = redactedData ?? block.redactedData;
    const reasoning: ReasoningPart = {
      type: 'reasoning',
      text: block.text,
      ...(data === undefined ? {} : { redactedData: data }),
      ...(block.signature === undefined ? {} : { signature: block.signature }),
      ...(metadata?.[RESPONSES_FAMILY] === undefined ? {} : { providerMetadata: { [RESPONSES_FAMILY]: metadata[RESPONSES_FAMILY] } }),
    };
    const item = encodeReasoningItem(reasoning, this.includeEncrypted, block.itemId);
    this.output[block.outputIndex] = item;
    this.parts[block.part] = reasoning;
    return out + this.event('response.output_item.done', { output_index: block.outputIndex, item });
  }

  private openCall(id: string, name: string, metadata: Record<string, Json> | undefined): string {
    const part = { type: 'tool-call' as const, id, name, arguments: '', ...(metadata?.[RESPONSES_FAMILY] === undefined ? {} : { providerMetadata: { [RESPONSES_FAMILY]: metadata[RESPONSES_FAMILY] } }) };
    const item = encodeCallItem(part, 'in_progress');
    const outputIndex = this.addItem(item);
    this.blocks.set(`call:${id}`, { kind: 'call', outputIndex, itemId: item.id as string, name, args: '', custom: item.type === 'custom_tool_call', part: outputIndex });
    return this.event('response.output_item.added', { output_index: outputIndex, item });
  }

  private closeCall(id: string, args: string, metadata: Record<string, Json> | undefined): string {
    const block = this.blocks.get(`call:${id}`);
    if (block?.kind !== 'call') return '';
    this.blocks.delete(`call:${id}`);
    const own = { ...metadata?.[RESPONSES_FAMILY], ...(block.custom ? { custom: true } : {}) };
    const part = { type: 'tool-call' as const, id, name: block.name, arguments: args, ...(Object.keys(own).length === 0 ? {} : { providerMetadata: { [RESPONSES_FAMILY]: own } }) };
    const item = encodeCallItem(part, 'completed', block.itemId);
    this.output[block.outputIndex] = item;
    this.parts[block.part] = part;
    const done = block.custom
      ? this.event('response.custom_tool_call_input.done', { item_id: block.itemId, output_index: block.outputIndex, input: args })
      : this.event('response.function_call_arguments.done', { item_id: block.itemId, output_index: block.outputIndex, name: block.name, arguments: args });
    return done + this.event('response.output_item.done', { output_index: block.outputIndex, item });
  }

  private closeAll(): string {
    let out = this.closeRefusal();
    for (const [key, block] of [...this.blocks]) {
      const id = key.slice(key.indexOf(':') + 1);
      if (block.kind === 'text') out += this.closeText(id);
      else if (block.kind === 'reasoning') out += this.closeReasoning(id, undefined, undefined);
      else out += this.closeCall(id, block.args, undefined);
    }
    return out;
  }
}
