import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { eventStreamReply, startMockBedrock, type BedrockHandler } from '../helpers/mock-bedrock.js';
import { fixtureReply, type MockUpstream } from '../helpers/mock-upstream.js';

const KEY = { accessKeyId: 'AKIAUPSTREAMEXAMPLE', secretAccessKey: 'upstream-secret' };

describe('Anthropic SDK → gateway → Claude on Bedrock through InvokeModel (api: invoke)', () => {
  let bedrock: MockUpstream;
  let gateway: TestGateway;
  let client: Anthropic;
  let onBedrock: BedrockHandler;

  beforeAll(async () => {
    bedrock = await startMockBedrock({ [KEY.accessKeyId]: { secretAccessKey: KEY.secretAccessKey } }, (call) => onBedrock(call), 'us-west-2');
    gateway = await startTestGateway({
      providers: { bedrock: { baseUrl: bedrock.url, region: 'us-west-2', api: 'invoke', modelIds: { 'claude-3-sonnet': 'anthropic.claude-3-sonnet-20240229-v1:0' }, keys: [KEY] } },
    });
    client = new Anthropic({ baseURL: `${gateway.url}/anthropic`, apiKey: 'anything', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await bedrock.stop();
  });

  it('a message, with the mapped model id in the path and anthropic_version in the body', async () => {
    onBedrock = () => fixtureReply('bedrock-invoke/invoke-anthropic-messages.json');
    const message = await client.messages.create({ model: 'bedrock/claude-3-sonnet', max_tokens: 50, messages: [{ role: 'user', content: 'summarize the plot to the lord of the rings in a dozen words' }] });
    expect(message.content).toEqual(readFixtureJson<{ content: unknown }>('bedrock-invoke/invoke-anthropic-messages.json').content);
    expect(message.usage).toMatchObject({ input_tokens: 21, output_tokens: 22 });
    expect(bedrock.requests[0]).toMatchObject({ path: '/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke', json: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50 } });
  });

  it('a stream: event-stream chunks unwrapped into the Anthropic events the SDK reads', async () => {
    onBedrock = () => eventStreamReply('bedrock-invoke/invoke-stream-anthropic-messages.eventstream', 19);
    const stream = client.messages.stream({ model: 'bedrock/claude-3-sonnet', max_tokens: 50, messages: [{ role: 'user', content: 'summarize the plot to the lord of the rings in a dozen words' }] });
    const final = await stream.finalMessage();
    const recorded = readFixtureText('bedrock-invoke/invoke-stream-anthropic-messages.events.jsonl')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line).bytes_decoded as { type: string; delta?: { text?: string } });
    const text = recorded.map((event) => (event.type === 'content_block_delta' ? (event.delta?.text ?? '') : '')).join('');
    expect(final.content).toHaveLength(1);
    expect(final.content[0]).toMatchObject({ type: 'text', text });
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toMatchObject({ input_tokens: 21, output_tokens: 22 });
    expect(bedrock.requests[1]!.path).toBe('/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke-with-response-stream');
  });
});
