import type { CompletionRequest, CompletionResponse, Warning } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import type { SseEvent } from '../../transport/sse-parser.js';
import type { EmitEvent, StreamDecoder } from '../provider.js';
import { convertOpenAiUsage } from './convert-openai-usage.js';
import { mapOpenAiFinishReason } from './map-openai-finish-reason.js';
import type { OpenAiQuirks } from './openai-quirks.js';

/** Canonical completion request → OpenAI /completions body. */
export function convertToOpenAiCompletionRequest(
  request: CompletionRequest,
  model: string,
  quirks: OpenAiQuirks,
  families: readonly string[],
  _warnings: Warning[],
): Record<string, unknown> {
  const body: Record<string, unknown> = { model, prompt: request.prompt };
  if (request.stream) {
    body.stream = true;
    if (quirks.streamOptions) body.stream_options = { include_usage: true };
  }
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.n !== undefined) body.n = request.n;
  if (request.stopSequences !== undefined) body.stop = request.stopSequences;
  for (const family of families) if (request.providerOptions?.[family]) Object.assign(body, request.providerOptions[family]);
  return body;
}

export function decodeOpenAiCompletionResponse(body: unknown, provider: string): CompletionResponse {
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${provider}" returned a completion without choices`,
      upstream: { provider },
    });
  }
  const response: CompletionResponse = {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    choices: body.choices.filter(isRecord).map((choice, position) => ({
      index: typeof choice.index === 'number' ? choice.index : position,
      text: typeof choice.text === 'string' ? choice.text : '',
      finishReason: mapOpenAiFinishReason(choice.finish_reason),
      ...(choice.logprobs === undefined || choice.logprobs === null ? {} : { logprobs: choice.logprobs }),
    })),
  };
  if (typeof body.created === 'number') response.created = body.created;
  const usage = convertOpenAiUsage(body.usage);
  if (usage !== undefined) response.usage = usage;
  return response;
}

/**
 * Completion streams reuse the canonical text events: one text block per choice.
 */
export class OpenAiCompletionStreamDecoder implements StreamDecoder<SseEvent> {
  private readonly open = new Set<number>();
  private metadataSent = false;
  private finished = false;

  push(frame: SseEvent, emit: EmitEvent): void {
    if (frame.data === '[DONE]') return;
    const chunk = tryParseJson(frame.data);
    if (!isRecord(chunk)) return;
    if (!this.metadataSent) {
      this.metadataSent = true;
      emit({
        type: 'response-metadata',
        ...(typeof chunk.id === 'string' ? { id: chunk.id } : {}),
        ...(typeof chunk.model === 'string' ? { model: chunk.model } : {}),
        ...(typeof chunk.created === 'number' ? { created: chunk.created } : {}),
      });
    }
    if (Array.isArray(chunk.choices)) {
      for (const choice of chunk.choices) {
        if (!isRecord(choice)) continue;
        const index = typeof choice.index === 'number' ? choice.index : 0;
        const tag = index === 0 ? {} : { choice: index };
        const id = `text-${index}`;
        if (typeof choice.text === 'string' && choice.text !== '') {
          if (!this.open.has(index)) {
            this.open.add(index);
            emit({ type: 'text-start', id, ...tag });
          }
          emit({ type: 'text-delta', id, delta: choice.text, ...tag });
        }
        if (typeof choice.finish_reason === 'string') {
          if (this.open.delete(index)) emit({ type: 'text-end', id, ...tag });
          this.finished = true;
          emit({ type: 'finish', finishReason: mapOpenAiFinishReason(choice.finish_reason), ...tag });
        }
      }
    }
    const usage = convertOpenAiUsage(chunk.usage);
    if (usage !== undefined) emit({ type: 'usage', usage });
  }

  end(emit: EmitEvent): void {
    for (const index of this.open) emit({ type: 'text-end', id: `text-${index}`, ...(index === 0 ? {} : { choice: index }) });
    this.open.clear();
    if (!this.finished) {
      emit({
        type: 'error',
        error: new GatewayError({ code: 'stream_error', status: 502, retryable: true, message: 'The completion stream ended early' }),
      });
    }
  }
}
