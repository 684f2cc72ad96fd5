import type { StreamEvent } from '../../core/index.js';

/** What a streamed response said, rebuilt from its canonical events (full content logging). */
export interface StreamTranscriptData {
  stream: true;
  text: string;
  reasoning?: string;
  refusal?: string;
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
  finishReason?: string;
  error?: string;
}

/**
 * A stream observer that keeps the text, reasoning, refusal and tool calls of a streamed
 * response. Bounded: past `limit` characters per part, deltas are counted but not kept.
 */
export class StreamTranscript {
  private text = '';
  private reasoning = '';
  private refusal = '';
  private readonly toolCalls: Array<{ id: string; name: string; arguments: string }> = [];
  private finishReason: string | undefined;
  private error: string | undefined;
  private dropped = 0;
  readonly observe: (event: StreamEvent) => void;

  constructor(private readonly limit: number) {
    this.observe = (event) => this.add(event);
  }

  private add(event: StreamEvent): void {
    switch (event.type) {
      case 'text-delta':
        if (this.text.length < this.limit) this.text += event.delta;
        else this.dropped += event.delta.length;
        break;
      case 'reasoning-delta':
        if (this.reasoning.length < this.limit) this.reasoning += event.delta;
        else this.dropped += event.delta.length;
        break;
      case 'refusal-delta':
        if (this.refusal.length < this.limit) this.refusal += event.delta;
        break;
      case 'tool-call':
        this.toolCalls.push({ id: event.id, name: event.name, arguments: event.arguments });
        break;
      case 'finish':
        this.finishReason = event.finishReason.raw ?? event.finishReason.unified;
        break;
      case 'error':
        this.error = `${event.error.code}: ${event.error.message}`;
        break;
      default:
        break;
    }
  }

  data(): StreamTranscriptData {
    return {
      stream: true,
      text: this.dropped > 0 ? `${this.text}…[${this.dropped} more characters not kept]` : this.text,
      ...(this.reasoning === '' ? {} : { reasoning: this.reasoning }),
      ...(this.refusal === '' ? {} : { refusal: this.refusal }),
      ...(this.toolCalls.length === 0 ? {} : { toolCalls: this.toolCalls }),
      ...(this.finishReason === undefined ? {} : { finishReason: this.finishReason }),
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }
}
