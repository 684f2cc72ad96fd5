import type { CompletionRequest, CompletionResponse, GatewayError, StreamEvent, Usage } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import {
  optBoolean,
  optInteger,
  optNumber,
  optStringList,
  readArray,
  readObject,
  readString,
  requireField,
  unknownFields,
} from '../../json/request-reader.js';
import { SSE_HEADERS } from '../../transport/sse-writer.js';
import type { StreamEncoder, StreamEncoderInfo } from '../surface.js';
import { openAiErrorObject } from './encode-error.js';
import { encodeOpenAiUsage } from './encode-openai-usage.js';
import { mapFinishReasonToOpenAi } from './map-finish-reason-to-openai.js';

const KNOWN_FIELDS = new Set(['model', 'prompt', 'max_tokens', 'temperature', 'top_p', 'n', 'stop', 'stream', 'stream_options']);

/** OpenAI legacy /completions body → canonical request. */
export function decodeOpenAiCompletionRequest(value: unknown): CompletionRequest {
  const body = readObject(value, 'body');
  const model = readString(requireField(body, 'model', 'model'), 'model');
  const raw = requireField(body, 'prompt', 'prompt');
  const prompt = typeof raw === 'string' ? raw : readArray(raw, 'prompt').map((item, index) => readString(item, `prompt[${index}]`));
  if (Array.isArray(prompt) && prompt.length === 0) throw invalidRequest("'prompt' must not be empty", 'prompt');
  const request: CompletionRequest = { model, prompt, stream: optBoolean(body.stream, 'stream') ?? false };
  const maxTokens = optInteger(body.max_tokens, 'max_tokens', 1);
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  const temperature = optNumber(body.temperature, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optNumber(body.top_p, 'top_p');
  if (topP !== undefined) request.topP = topP;
  const n = optInteger(body.n, 'n', 1);
  if (n !== undefined) request.n = n;
  const stop = optStringList(body.stop, 'stop');
  if (stop !== undefined) request.stopSequences = stop;
  if (body.stream_options !== undefined && body.stream_options !== null) {
    const include = optBoolean(readObject(body.stream_options, 'stream_options').include_usage, 'stream_options.include_usage');
    if (include !== undefined) request.includeUsage = include;
  }
  const extra = unknownFields(body, KNOWN_FIELDS);
  if (extra !== undefined) request.providerOptions = { openai: extra };
  return request;
}

export function encodeOpenAiCompletionResponse(response: CompletionResponse, info: StreamEncoderInfo): string {
  return JSON.stringify({
    id: response.id || `cmpl-${info.requestId}`,
    object: 'text_completion',
    created: response.created ?? Math.floor(Date.now() / 1000),
    model: response.model || info.model,
    choices: response.choices.map((choice) => ({
      text: choice.text,
      index: choice.index,
      logprobs: choice.logprobs ?? null,
      finish_reason: mapFinishReasonToOpenAi(choice.finishReason),
    })),
    ...(response.usage === undefined ? {} : { usage: encodeOpenAiUsage(response.usage) }),
  });
}

/** Canonical text events → text_completion chunks. */
export class OpenAiCompletionStreamEncoder implements StreamEncoder {
  readonly headers = SSE_HEADERS;
  private id: string;
  private model: string;
  private created = Math.floor(Date.now() / 1000);
  private usage: Usage | undefined;
  private readonly includeUsage: boolean;

  constructor(request: CompletionRequest, info: StreamEncoderInfo) {
    this.id = `cmpl-${info.requestId}`;
    this.model = info.model;
    this.includeUsage = request.includeUsage === true;
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'response-metadata':
        if (event.id) this.id = event.id;
        if (event.model) this.model = event.model;
        if (event.created !== undefined) this.created = event.created;
        return '';
      case 'text-delta':
        return this.chunk([{ text: event.delta, index: event.choice ?? 0, logprobs: null, finish_reason: null }]);
      case 'finish':
        return this.chunk([{ text: '', index: event.choice ?? 0, logprobs: null, finish_reason: mapFinishReasonToOpenAi(event.finishReason) }]);
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'error':
        return this.error(event.error);
      default:
        return '';
    }
  }

  end(): string {
    const usage = this.includeUsage && this.usage !== undefined ? this.chunk([], encodeOpenAiUsage(this.usage)) : '';
    return `${usage}data: [DONE]\n\n`;
  }

  error(error: GatewayError): string {
    return `data: ${JSON.stringify({ error: openAiErrorObject(error) })}\n\n`;
  }

  private chunk(choices: unknown[], usage?: unknown): string {
    const body: Record<string, unknown> = { id: this.id, object: 'text_completion', created: this.created, model: this.model, choices };
    if (usage !== undefined) body.usage = usage;
    return `data: ${JSON.stringify(body)}\n\n`;
  }
}
