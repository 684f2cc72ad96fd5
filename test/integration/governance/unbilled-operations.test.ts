import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { startMockBedrock } from '../../helpers/mock-bedrock.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';
import { post, PRICE_PER_TOKEN } from './governance-setup.js';

/*
 * Token counting is free at every provider that offers it (Anthropic count_tokens, Gemini
 * countTokens, Bedrock CountTokens), and its answer carries no usage. It must not be charged
 * the reservation estimate in place of a price: a budgeted key's spend stays where it was
 * however many counts it asks for, while a real message is still charged.
 */

const ADMIN = 'admin-key-for-unbilled-tests';
const KEY = 'sk-sy-count-key-0123456789abcdef';
const AWS = { accessKeyId: 'AKIACOUNTEXAMPLE', secretAccessKey: 'count/secret/EXAMPLEKEY' };
const NOVA = 'us.amazon.nova-micro-v1:0';

/** Every model at $1000 per million tokens: an estimate of a few dozen tokens shows as cents. */
function expensiveCatalog(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'switchyard-catalog-')), 'catalog.json');
  const pricing = { input: 1000, output: 1000 };
  writeFileSync(
    file,
    JSON.stringify({
      models: [
        { provider: 'anthropic', id: 'claude-sonnet-4-5', aliases: ['claude-sonnet-4-5-20250929'], pricing },
        { provider: 'gemini', id: 'gemini-2.5-flash', pricing },
        { provider: 'bedrock', id: 'amazon.nova-micro-v1:0', pricing },
      ],
    }),
  );
  return file;
}

interface BudgetUsage {
  spentUsd: number;
  reservedUsd: number;
}

/** Settlement runs after the response ends; wait until no reservation is open. */
async function settledUsage(gateway: TestGateway): Promise<BudgetUsage> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${gateway.url}/api/virtual-keys/count/usage`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const usage = ((await response.json()) as { virtualKey: { budgets: BudgetUsage[] } }).virtualKey.budgets[0]!;
    if (usage.reservedUsd === 0) return usage;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('reservation never settled');
}

const PROMPT = 'Count the tokens of this sentence, which is long enough for a visible estimate.';

describe('token counts are free (budgets)', () => {
  let anthropic: MockUpstream;
  let gemini: MockUpstream;
  let bedrock: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    anthropic = await new MockUpstream().start();
    anthropic.on('POST', '/v1/messages/count_tokens', { status: 200, body: JSON.stringify({ input_tokens: 17 }) });
    anthropic.on('POST', '/v1/messages', fixtureReply('anthropic-messages/text.json'));
    gemini = await new MockUpstream().start();
    gemini.on('POST', '/v1beta/models/gemini-2.5-flash:countTokens', {
      status: 200,
      body: JSON.stringify({ totalTokens: 17, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 17 }] }),
    });
    bedrock = await startMockBedrock(
      { [AWS.accessKeyId]: { secretAccessKey: AWS.secretAccessKey } },
      (call) =>
        call.operation === 'count-tokens'
          ? { status: 200, body: JSON.stringify({ inputTokens: 17 }) }
          : { status: 404, body: '{}' },
      'eu-west-3',
    );
    gateway = await startTestGateway(
      {
        catalog: { files: [expensiveCatalog()] },
        providers: {
          anthropic: { baseUrl: anthropic.url, keys: [{ value: 'sk-ant-provider' }] },
          gemini: { baseUrl: `${gemini.url}/v1beta`, keys: [{ value: 'gemini-provider-key' }] },
          bedrock: { baseUrl: bedrock.url, region: 'eu-west-3', keys: [{ name: 'aws', ...AWS }] },
        },
        virtualKeys: [{ name: 'count', id: 'count', value: KEY, budget: { usd: 1, period: '1d' } }],
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN } },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([anthropic?.stop(), gemini?.stop(), bedrock?.stop()]);
  });
  beforeEach(() => {
    anthropic.reset();
    gemini.reset();
    bedrock.reset();
  });

  it('count_tokens, countTokens, CountTokens and input_tokens forwarded to providers spend nothing', async () => {
    const calls: Array<[string, string, Record<string, string>]> = [
      [
        '/anthropic/v1/messages/count_tokens',
        JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: PROMPT }] }),
        { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
      ],
      [
        '/v1/responses/input_tokens',
        JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', input: PROMPT }),
        { authorization: `Bearer ${KEY}` },
      ],
      [
        `/genai/v1beta/models/${encodeURIComponent('gemini/gemini-2.5-flash')}:countTokens`,
        JSON.stringify({ contents: [{ role: 'user', parts: [{ text: PROMPT }] }] }),
        { 'x-goog-api-key': KEY },
      ],
      [
        `/bedrock/model/${encodeURIComponent(`bedrock/${NOVA}`)}/count-tokens`,
        JSON.stringify({ input: { converse: { messages: [{ role: 'user', content: [{ text: PROMPT }] }] } } }),
        { authorization: `Bearer ${KEY}` },
      ],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [route, body, headers] of calls) {
        const response = await post(`${gateway.url}${route}`, body, headers);
        expect(response.status, `${route}: ${await response.clone().text()}`).toBe(200);
        expect(response.headers.get('x-switchyard-token-count'), route).toBe('provider');
        expect(response.headers.get('x-switchyard-cost-usd'), route).toBe('0.00000000');
        expect(JSON.stringify(await response.json()), route).toContain('17');
        expect(await settledUsage(gateway), route).toEqual(
          expect.objectContaining({ spentUsd: 0, reservedUsd: 0 }),
        );
      }
    }
    // Every count reached its provider: they were forwarded, not estimated locally.
    expect(anthropic.count('POST', '/v1/messages/count_tokens')).toBe(6);
    expect(gemini.count('POST', '/v1beta/models/gemini-2.5-flash:countTokens')).toBe(3);
    expect(bedrock.requests.filter((request) => request.path.endsWith('/count-tokens'))).toHaveLength(3);

    // The key is metered all the same: a message is charged its usage (text.json: 12 + 29 tokens).
    const message = await post(
      `${gateway.url}/anthropic/v1/messages`,
      JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: PROMPT }] }),
      { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    );
    expect(message.status).toBe(200);
    await message.arrayBuffer();
    expect((await settledUsage(gateway)).spentUsd).toBeCloseTo(41 * PRICE_PER_TOKEN, 9);
  });
});
