import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { StreamEvent } from '../../../../src/core/index.js';
import { validateProvider } from '../../../../src/config/validate-providers.js';
import type { ConfigIssue } from '../../../../src/config/resolve-env-references.js';
import type { Provider, ProviderCallContext } from '../../../../src/providers/provider.js';
import type { ProviderSettings } from '../../../../src/providers/provider-settings.js';
import { getProviderDefinition } from '../../../../src/providers/registry.js';
import { SseParser, type SseEvent } from '../../../../src/transport/sse-parser.js';
import type { UpstreamRequest } from '../../../../src/transport/upstream-request.js';

/** Provider settings exactly as a config file entry would produce them. */
export function providerSettings(id: string, entry: Record<string, unknown>): ProviderSettings {
  const issues: ConfigIssue[] = [];
  const settings = validateProvider(id, entry, issues);
  if (settings === undefined) throw new Error(`invalid provider config: ${JSON.stringify(issues)}`);
  return settings;
}

export function createProvider(id: string, entry: Record<string, unknown>): Provider {
  const settings = providerSettings(id, entry);
  return getProviderDefinition(settings.type)!.create(settings);
}

export function callContext(provider: Provider, model: string, extra: Partial<ProviderCallContext> = {}): ProviderCallContext {
  return { provider: provider.settings, model, key: provider.settings.keys[0], warnings: [], ...extra };
}

/** An upstream request as a snapshot sees it: URL, headers without secrets, parsed body. */
export async function describeRequest(provider: Provider, request: UpstreamRequest): Promise<Record<string, unknown>> {
  await provider.authenticate(request, provider.settings.keys[0]);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers).sort(([a], [b]) => a.localeCompare(b))) {
    headers[name] = name === 'x-api-key' || name === 'authorization' ? '<redacted>' : value;
  }
  const body = typeof request.body === 'string' ? request.body : request.body?.toString('utf8');
  return { method: request.method, url: request.origin + request.path, headers, body: body === undefined ? undefined : JSON.parse(body) };
}

/** Parse SSE bytes (in the given pieces) into events. */
export function parseSse(pieces: Buffer[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((event) => {
    if (event !== null) events.push(event);
  });
  for (const piece of pieces) parser.push(piece);
  parser.end();
  return events;
}

/** Run SSE bytes (in the given pieces) through a provider's stream decoder. */
export function decodeStream(provider: Provider, context: ProviderCallContext, pieces: Buffer[]): StreamEvent[] {
  const events: StreamEvent[] = [];
  const emit = (event: StreamEvent): void => {
    events.push(event);
  };
  const decoder = provider.chat!.createStreamDecoder(context);
  const parser = new SseParser((event) => {
    if (event !== null) decoder.push(event, emit);
  });
  for (const piece of pieces) parser.push(piece);
  parser.end();
  decoder.end(emit);
  return events;
}

/** What the official SDK's stream accumulator makes of an Anthropic event stream. */
export async function sdkFinalMessage(sse: string): Promise<Message> {
  const lines = parseSse([Buffer.from(sse)])
    .filter((event) => event.event !== 'ping')
    .map((event) => `${event.data}\n`)
    .join('');
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(lines));
      controller.close();
    },
  });
  return MessageStream.fromReadableStream(readable).finalMessage();
}
