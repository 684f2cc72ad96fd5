import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../../helpers/in-process-gateway.js';
import { FaultUpstream } from '../../helpers/fault-upstream.js';
import { compatibleProvider, startRoutingGateway } from '../../helpers/routing-gateway.js';

/*
 * After the first content reached the client, a failing stream is never spliced with another
 * provider's output: it ends with an error event in the client's surface format (here OpenAI,
 * read by the official SDK), and the request record says so.
 */
describe.each([
  ['passthrough', true],
  ['canonical', false],
])('a stream that fails after commit (%s)', (_name, passthrough) => {
  let primary: FaultUpstream;
  let backup: FaultUpstream;
  let gateway: TestGateway;
  let client: OpenAI;
  const completed: Array<{ errorCode?: string; status: number; attempts: number }> = [];

  beforeAll(async () => {
    primary = await new FaultUpstream().start();
    backup = await new FaultUpstream().start();
    gateway = await startRoutingGateway({
      providers: {
        primary: compatibleProvider(primary.url, { passthrough, circuitBreaker: { enabled: false } }),
        backup: compatibleProvider(backup.url),
      },
    });
    gateway.gateway.runtime.hooks.complete.push((record) => completed.push({ errorCode: record.errorCode, status: record.status, attempts: record.attempts.length }));
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await primary.stop();
    await backup.stop();
  });
  beforeEach(() => {
    primary.reset();
    backup.reset();
    completed.length = 0;
  });

  for (const fault of [
    { type: 'stream-dies', afterEvents: 4 },
    { type: 'stream-dies', afterEvents: 4, midEvent: true },
    { type: 'stream-error-event', afterEvents: 4 },
  ] as const) {
    it(`${fault.type}${'midEvent' in fault ? ' in the middle of an event' : ''} after 4 events: the SDK sees the text so far, then an error`, async () => {
      primary.always(fault);
      const params = {
        model: 'primary/gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        // The client asks for usage itself, so passthrough has nothing to cut from the stream.
        stream_options: { include_usage: true },
        // A gateway extension: where to go if the primary fails before the first byte.
        fallbacks: ['backup/gpt-4o-mini'],
      } as OpenAI.ChatCompletionCreateParamsStreaming;
      const stream = await client.chat.completions.create(params);
      let text = '';
      let failure: unknown;
      try {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      } catch (error) {
        failure = error;
      }
      expect(text).toBe("I'm unable to");
      expect(failure).toBeInstanceOf(OpenAI.APIError);
      // Never spliced: the fallback was not called once bytes had gone out.
      expect(backup.count()).toBe(0);
      await expect.poll(() => completed.length).toBe(1);
      expect(completed[0]!.errorCode).toBe(fault.type === 'stream-dies' ? 'upstream_unreachable' : 'stream_error');
      expect(completed[0]!.attempts).toBe(1);
    });
  }
});
