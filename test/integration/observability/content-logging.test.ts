import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayModule } from '../../../src/gateway.js';
import { createObservabilityModule } from '../../../src/observability/observability-module.js';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';
import { logsSettled } from '../../helpers/request-log.js';

const ADMIN = 'admin-test-key';

/** Stands in for governance: the bearer token names the virtual key. */
const fakeGovernance: GatewayModule = {
  name: 'fake-governance',
  setup({ runtime }) {
    runtime.hooks.authenticate.push((context) => {
      const header = context.request.headers.authorization;
      if (typeof header === 'string' && header.startsWith('Bearer vk-')) {
        const name = header.slice('Bearer vk-'.length);
        context.record.principal = {
          virtualKeyName: name,
          virtualKeyId: `id-${name}`,
          teamId: `team-${name}`,
        };
      }
    });
  },
};

interface StoredRecord {
  passthrough: boolean;
  contentMode: string;
  principal: { virtualKey: string | null; team: string | null };
  content: { request: unknown; response: unknown };
}

describe('content logging', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    upstream.on('POST', '/v1/chat/completions', (request) =>
      (request.json as { stream?: boolean }).stream
        ? fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 40 })
        : fixtureReply('openai-chat/text.json'),
    );
    gateway = await startTestGateway(
      {
        providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-test' }] } },
        observability: {
          logs: {
            content: {
              mode: 'metadata',
              byVirtualKey: { vip: 'full', quiet: 'off' },
              redact: { patterns: ['order-\\d{6}'], fields: ['user'] },
            },
          },
        },
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN }, modules: [createObservabilityModule(), fakeGovernance] },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.stop();
  });

  async function chat(
    key: string | undefined,
    body: Record<string, unknown>,
  ): Promise<{ id: string; passthroughHeader: string | null; text: string }> {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key === undefined ? {} : { authorization: `Bearer vk-${key}` }),
      },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', ...body }),
    });
    expect(response.status).toBe(200);
    return {
      id: response.headers.get('x-request-id')!,
      passthroughHeader: response.headers.get('x-switchyard-passthrough'),
      text: await response.text(),
    };
  }

  async function stored(id: string): Promise<StoredRecord> {
    await logsSettled(gateway);
    const response = await fetch(`${gateway.url}/api/logs/${id}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    return (await response.json()) as StoredRecord;
  }

  const secretMessage =
    'my key is sk-proj-abcdefghijklmnopqrstuvwxyz012345, aws AKIAABCDEFGHIJKLMNOP, order-123456, Bearer abc.def.ghijklmnop';

  it('logs full bodies with secrets, configured patterns and fields redacted for a key set to full', async () => {
    const { id } = await chat('vip', {
      messages: [{ role: 'user', content: secretMessage }],
      user: 'alice@example.com',
      temperature: 0.5,
    });
    const record = await stored(id);
    expect(record.contentMode).toBe('full');
    expect(record.principal).toMatchObject({ virtualKey: 'vip', team: 'team-vip' });
    expect(record.content.request).toEqual({
      model: 'openai/gpt-4o-mini',
      messages: [
        { role: 'user', content: 'my key is [redacted], aws [redacted], [redacted], Bearer [redacted]' },
      ],
      user: '[redacted]',
      temperature: 0.5,
    });
    expect(record.content.response).toMatchObject({
      id: 'chatcmpl-ABfvaueLEMLNYbT8YzpJxsmiQ6HSY',
      choices: [{ finish_reason: 'stop' }],
    });
  });

  it('turns passthrough off for full-content streams and logs the rebuilt transcript', async () => {
    const streamed = await chat('vip', { stream: true, messages: [{ role: 'user', content: 'tell me' }] });
    expect(streamed.passthroughHeader).toBeNull();
    const record = await stored(streamed.id);
    expect(record.passthrough).toBe(false);
    expect(record.content.response).toEqual({
      stream: true,
      text: 'The capital of the UK is London.',
      finishReason: 'stop',
    });
    const text = streamed.text
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map(
        (line) =>
          (JSON.parse(line.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta
            .content ?? '',
      )
      .join('');
    expect(text).toBe('The capital of the UK is London.');
  });

  it('keeps passthrough and logs metadata only for other keys, and nothing for a key set to off', async () => {
    const plain = await chat('someone', {
      stream: true,
      messages: [{ role: 'user', content: secretMessage }],
    });
    expect(plain.passthroughHeader).toBe('true');
    const metadata = await stored(plain.id);
    expect(metadata.contentMode).toBe('metadata');
    expect(metadata.content.request).toMatchObject({ kind: 'chat', stream: true, messages: 1 });
    expect(JSON.stringify(metadata)).not.toContain('order-123456');
    expect(metadata.content.response).toBeNull();

    const quiet = await stored(
      (await chat('quiet', { messages: [{ role: 'user', content: secretMessage }] })).id,
    );
    expect(quiet.contentMode).toBe('off');
    expect(quiet.content).toEqual({ request: null, response: null });
  });
});
