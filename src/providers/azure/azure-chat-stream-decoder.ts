import type { StreamEvent } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import type { SseEvent } from '../../transport/sse-parser.js';
import { OpenAiChatStreamDecoder } from '../openai/openai-chat-stream-decoder.js';
import type { EmitEvent, StreamDecoder } from '../provider.js';
import { filteredCategories } from './azure-content-filter.js';

/**
 * Azure chat streams are OpenAI chat streams with content-filter data: a first chunk with
 * `id: ""`, `created: 0`, `choices: []` and only `prompt_filter_results` (kept from the OpenAI
 * decoder, which would take its empty id as the response id), and `content_filter_results` on
 * every choice. Only chunks that carry prompt results or a filtered category are parsed twice;
 * the rest go straight to the OpenAI decoder. Prompt results go on the response-metadata event,
 * filtered categories on the finish event.
 */
export class AzureChatStreamDecoder implements StreamDecoder<SseEvent> {
  private readonly inner: OpenAiChatStreamDecoder;
  private promptFilterResults: unknown;
  private readonly filtered = new Map<number, Set<string>>();
  private started = false;

  constructor(provider: string) {
    this.inner = new OpenAiChatStreamDecoder(provider);
  }

  push(frame: SseEvent, emit: EmitEvent): void {
    const data = frame.data;
    const interesting = data.includes('"prompt_filter_results"') || data.includes('"filtered":true');
    if (interesting) {
      const chunk = tryParseJson(data);
      if (isRecord(chunk)) {
        if (chunk.prompt_filter_results !== undefined) this.promptFilterResults = chunk.prompt_filter_results;
        for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
          if (!isRecord(choice)) continue;
          const categories = filteredCategories(choice.content_filter_results);
          if (categories.length === 0) continue;
          const index = typeof choice.index === 'number' ? choice.index : 0;
          const set = this.filtered.get(index) ?? new Set<string>();
          for (const category of categories) set.add(category);
          this.filtered.set(index, set);
        }
        // The prompt-results chunk that opens the stream has no id, model or choices.
        if (!this.started && Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage === undefined) return;
      }
    }
    if (data !== '[DONE]') this.started = true;
    this.inner.push(frame, (event) => this.forward(event, emit));
  }

  end(emit: EmitEvent): void {
    this.inner.end((event) => this.forward(event, emit));
  }

  private forward(event: StreamEvent, emit: EmitEvent): void {
    if (event.type === 'response-metadata' && this.promptFilterResults !== undefined) {
      const openai = { ...event.providerMetadata?.openai, prompt_filter_results: this.promptFilterResults };
      event.providerMetadata = { ...event.providerMetadata, openai, azure: { promptFilterResults: this.promptFilterResults } };
    } else if (event.type === 'finish') {
      const filtered = this.filtered.get(event.choice ?? 0);
      if (filtered !== undefined) event.providerMetadata = { ...event.providerMetadata, azure: { filtered: [...filtered] } };
    }
    emit(event);
  }
}
