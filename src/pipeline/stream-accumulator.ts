import type {
  AssistantContentPart,
  ChatChoice,
  ChatResponse,
  ReasoningPart,
  StreamEvent,
  TextPart,
  TokenLogprob,
  ToolCallPart,
  Usage,
} from '../core/index.js';
import type { GatewayError } from '../core/index.js';

interface ChoiceBuilder {
  content: AssistantContentPart[];
  /** Open blocks by id. */
  blocks: Map<string, TextPart | ReasoningPart | ToolCallPart>;
  refusal: string | undefined;
  logprobs: { content: TokenLogprob[]; refusal: TokenLogprob[] } | undefined;
  finish: ChatChoice['finishReason'] | undefined;
}

/**
 * Rebuilds the complete response from canonical stream events, for stream logging, caching and
 * tests. Blocks keep their order of appearance; tool calls take their final arguments from the
 * `tool-call` event (or the concatenated deltas when it never came).
 */
export class StreamAccumulator {
  private id = '';
  private model = '';
  private created: number | undefined;
  private usage: Usage | undefined;
  private providerMetadata: ChatResponse['providerMetadata'];
  private readonly choices = new Map<number, ChoiceBuilder>();
  error: GatewayError | undefined;

  private choice(index: number): ChoiceBuilder {
    let builder = this.choices.get(index);
    if (builder === undefined) {
      builder = { content: [], blocks: new Map(), refusal: undefined, logprobs: undefined, finish: undefined };
      this.choices.set(index, builder);
    }
    return builder;
  }

  push(event: StreamEvent): void {
    const builder = event.type === 'usage' || event.type === 'response-metadata' || event.type === 'error' ? undefined : this.choice(event.choice ?? 0);
    switch (event.type) {
      case 'response-metadata':
        if (event.id !== undefined) this.id = event.id;
        if (event.model !== undefined) this.model = event.model;
        if (event.created !== undefined) this.created = event.created;
        if (event.providerMetadata !== undefined) this.providerMetadata = event.providerMetadata;
        break;
      case 'text-start': {
        const part: TextPart = { type: 'text', text: '' };
        builder!.blocks.set(event.id, part);
        builder!.content.push(part);
        break;
      }
      case 'text-delta': {
        const part = builder!.blocks.get(event.id);
        if (part?.type === 'text') part.text += event.delta;
        break;
      }
      case 'citation': {
        const part = builder!.blocks.get(event.id);
        if (part?.type === 'text') (part.citations ??= []).push(event.citation);
        break;
      }
      case 'reasoning-start': {
        const part: ReasoningPart = { type: 'reasoning', text: '' };
        if (event.redactedData !== undefined) part.redactedData = event.redactedData;
        builder!.blocks.set(event.id, part);
        builder!.content.push(part);
        break;
      }
      case 'reasoning-delta': {
        const part = builder!.blocks.get(event.id);
        if (part?.type === 'reasoning') part.text += event.delta;
        break;
      }
      case 'reasoning-signature': {
        const part = builder!.blocks.get(event.id);
        if (part?.type === 'reasoning') part.signature = (part.signature ?? '') + event.signature;
        break;
      }
      case 'reasoning-end': {
        const part = builder!.blocks.get(event.id);
        if (part?.type === 'reasoning' && event.providerMetadata !== undefined) part.providerMetadata = event.providerMetadata;
        break;
      }
      case 'tool-input-start': {
        const part: ToolCallPart = { type: 'tool-call', id: event.id, name: event.name, arguments: '' };
        if (event.providerMetadata !== undefined) part.providerMetadata = event.providerMetadata;
        builder!.blocks.set(event.id, part);
        builder!.content.push(part);
        break;
      }
      case 'tool-input-delta': {
        const part = builder!.blocks.get(event.id);
        if (part?.type === 'tool-call') part.arguments += event.delta;
        break;
      }
      case 'tool-call': {
        const part = builder!.blocks.get(event.id);
        if (part?.type === 'tool-call') {
          part.arguments = event.arguments;
          if (event.providerMetadata !== undefined) part.providerMetadata = event.providerMetadata;
        } else {
          const created: ToolCallPart = { type: 'tool-call', id: event.id, name: event.name, arguments: event.arguments };
          builder!.blocks.set(event.id, created);
          builder!.content.push(created);
        }
        break;
      }
      case 'refusal-delta':
        builder!.refusal = (builder!.refusal ?? '') + event.delta;
        break;
      case 'logprobs':
        builder!.logprobs ??= { content: [], refusal: [] };
        if (event.content) builder!.logprobs.content.push(...event.content);
        if (event.refusal) builder!.logprobs.refusal.push(...event.refusal);
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'finish':
        builder!.finish = event.finishReason;
        break;
      case 'error':
        this.error = event.error;
        break;
      default:
        break;
    }
  }

  /** The response so far (complete once the stream has ended). */
  response(): ChatResponse {
    const choices: ChatChoice[] = [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, builder]) => {
        const content = builder.content.filter((part) => !(part.type === 'text' && part.text === '' && part.citations === undefined));
        if (builder.refusal !== undefined) content.push({ type: 'refusal', text: builder.refusal });
        const choice: ChatChoice = { index, content, finishReason: builder.finish ?? { unified: 'other' } };
        if (builder.logprobs !== undefined) choice.logprobs = builder.logprobs;
        return choice;
      });
    const response: ChatResponse = { id: this.id, model: this.model, choices };
    if (this.created !== undefined) response.created = this.created;
    if (this.usage !== undefined) response.usage = this.usage;
    if (this.providerMetadata !== undefined) response.providerMetadata = this.providerMetadata;
    return response;
  }
}

/** Accumulate a whole event list. */
export function accumulateEvents(events: Iterable<StreamEvent>): StreamAccumulator {
  const accumulator = new StreamAccumulator();
  for (const event of events) accumulator.push(event);
  return accumulator;
}
