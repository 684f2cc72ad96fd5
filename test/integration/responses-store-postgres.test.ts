import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.js';

/*
 * Two gateway instances sharing PostgreSQL (stores.postgres): a response created through one
 * is continued (previous_response_id), retrieved and deleted through the other.
 */
describe('Responses store on PostgreSQL shared by two instances', () => {
  let postgres: PostgresServer;
  let upstream: MockUpstream;
  let first: TestGateway;
  let second: TestGateway;

  beforeAll(async () => {
    [postgres, upstream] = await Promise.all([startPostgres(), new MockUpstream().start()]);
    upstream.on('POST', '/v1/chat/completions', (request) =>
      fixtureReply((request.json as { messages: unknown[] }).messages.length === 1 ? 'openai-chat/tool-call.json' : 'openai-chat/text.json'),
    );
    const config = { stores: { postgres: { url: postgres.url } }, providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk' }] } } };
    first = await startTestGateway(config);
    second = await startTestGateway(config);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await upstream?.stop();
    await postgres?.destroy();
  });

  it('create on one instance, continue, retrieve and delete on the other', async () => {
    const a = new OpenAI({ baseURL: `${first.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const b = new OpenAI({ baseURL: `${second.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const created = await a.responses.create({ model: 'gpt-4o', input: 'Weather in Edinburgh?' });
    const call = created.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const continued = await b.responses.create({ model: 'gpt-4o', previous_response_id: created.id, input: [{ type: 'function_call_output', call_id: call.call_id, output: 'cold' }] });
    expect(continued.output_text).toMatch(/^I'm unable to provide real-time weather updates/);
    expect((upstream.requests[1]!.json as { messages: unknown[] }).messages).toHaveLength(3);
    expect((await b.responses.retrieve(created.id)).id).toBe(created.id);
    expect((await a.responses.retrieve(continued.id)).previous_response_id).toBe(created.id);
    await b.responses.delete(created.id);
    await expect(a.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
  });
});
