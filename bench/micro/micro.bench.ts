/**
 * Microbenchmarks of hot-path pieces (mitata): the SSE parser, request decoding and response
 * encoding per surface, model resolution and key selection.
 *   npm run bench:micro
 */
import { bench, group, run, summary } from 'mitata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeOpenAiChatRequest } from '../../src/api/openai/decode-chat-request.js';
import { encodeOpenAiChatResponse } from '../../src/api/openai/encode-chat-response.js';
import { OpenAiChatStreamEncoder } from '../../src/api/openai/chat-stream-encoder.js';
import { validateConfig } from '../../src/config/load-config.js';
import { createProviders } from '../../src/gateway.js';
import { patchJsonMembers } from '../../src/json/patch-json-members.js';
import { decodeOpenAiChatResponse } from '../../src/providers/openai/decode-openai-chat-response.js';
import { OpenAiChatStreamDecoder } from '../../src/providers/openai/openai-chat-stream-decoder.js';
import { ProviderRegistry } from '../../src/router/provider-registry.js';
import { resolveModel } from '../../src/router/resolve-model.js';
import { selectKey } from '../../src/router/select-key.js';
import { SseParser } from '../../src/transport/sse-parser.js';
import type { StreamEvent } from '../../src/core/index.js';
import { ROOT } from '../targets.js';
import { EXTRA_MICRO_BENCHES } from './extra.js';

const fixture = (name: string) => readFileSync(path.join(ROOT, 'test/fixtures/providers', name));
const streamBytes = fixture('openai-chat/stream-tool-call-with-usage.sse');
const chunks: Buffer[] = [];
for (let offset = 0; offset < streamBytes.length; offset += 97) chunks.push(streamBytes.subarray(offset, offset + 97));
const requestBody = fixture('openai-chat/stream-tool-call-with-usage.request.json');
const requestJson = JSON.parse(requestBody.toString());
const responseJson = JSON.parse(fixture('openai-chat/parallel-tool-calls.json').toString());

const { config } = validateConfig(
  {
    providers: {
      openai: { keys: [{ name: 'a', value: 'k1', weight: 3 }, { name: 'b', value: 'k2', weight: 1 }, { name: 'c', value: 'k3', weight: 1, models: ['gpt-4o*'] }] },
      groq: { keys: [{ value: 'g' }] },
      mistral: { keys: [{ value: 'm' }] },
      local: { type: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1' },
    },
  },
  {},
);
const registry = new ProviderRegistry(createProviders(config!));
const openaiKeys = registry.get('openai')!.settings.keys;

summary(() => {
  group('SSE', () => {
    bench('parse a recorded tool-call stream cut in 97-byte chunks', () => {
      let count = 0;
      const parser = new SseParser(() => count++);
      for (const chunk of chunks) parser.push(chunk);
      parser.end();
      return count;
    });
    bench('parse + decode to canonical events', () => {
      const events: StreamEvent[] = [];
      const decoder = new OpenAiChatStreamDecoder('openai');
      const parser = new SseParser((event) => {
        if (event) decoder.push(event, (e) => events.push(e));
      });
      for (const chunk of chunks) parser.push(chunk);
      parser.end();
      decoder.end((e) => events.push(e));
      return events.length;
    });
  });
});

summary(() => {
  group('OpenAI surface', () => {
    bench('decode a chat request (JSON.parse + validate + canonical)', () => decodeOpenAiChatRequest(JSON.parse(requestBody.toString())));
    bench('decode canonical from parsed JSON only', () => decodeOpenAiChatRequest(requestJson));
    bench('patch model for passthrough', () => patchJsonMembers(requestBody, { model: '"gpt-4o-mini-2024-07-18"' }));
    const decoded = decodeOpenAiChatResponse(responseJson, 'openai');
    bench('decode provider response + encode for the client', () => encodeOpenAiChatResponse(decodeOpenAiChatResponse(responseJson, 'openai'), { requestId: 'r', model: 'm' }));
    bench('encode a response only', () => encodeOpenAiChatResponse(decoded, { requestId: 'r', model: 'm' }));
    const encoder = new OpenAiChatStreamEncoder({ model: 'm', messages: [], stream: true }, { requestId: 'r', model: 'm' });
    encoder.encode({ type: 'response-metadata', id: 'chatcmpl-1', model: 'gpt-4o-mini', created: 1 });
    bench('encode one text-delta stream event', () => encoder.encode({ type: 'text-delta', id: 't', delta: 'Hello' }));
  });
});

summary(() => {
  group('routing', () => {
    bench('resolve provider/model', () => resolveModel('openai/gpt-4o-mini', registry));
    bench('resolve a bare model name', () => resolveModel('gpt-4o-mini', registry));
    bench('weighted key selection with model allow-lists', () => selectKey(openaiKeys, 'o3'));
  });
});

for (const register of EXTRA_MICRO_BENCHES) register();

await run();
