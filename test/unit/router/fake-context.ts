import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openAiSurface } from '../../../src/api/openai/openai-surface.js';
import { createPipelineHooks } from '../../../src/pipeline/hooks.js';
import { RequestContext } from '../../../src/pipeline/request-context.js';
import { createRequestRecord } from '../../../src/pipeline/request-record.js';

/** A fake response: emits 'close' when ended, like node's ServerResponse. */
export class FakeResponse extends EventEmitter {
  destroyed = false;
  writableFinished = false;
  headersSent = false;
  finish(): void {
    this.writableFinished = true;
    this.emit('close');
  }
}

/** A request context for router unit tests (no HTTP server). */
export function fakeContext(headers: Record<string, string> = {}, options: { stream?: boolean } = {}): RequestContext & { fakeResponse: FakeResponse } {
  const record = createRequestRecord('req_test', 'openai', 'chat', '/v1/chat/completions');
  record.stream = options.stream ?? false;
  const request = { headers } as unknown as IncomingMessage;
  const response = new FakeResponse();
  const context = new RequestContext(record, request, response as unknown as ServerResponse, openAiSurface, createPipelineHooks());
  return Object.assign(context, { fakeResponse: response });
}
