import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMatrixGateway, type MatrixGateway } from './matrix-gateway.js';
import type { ProviderRow, SurfaceClient, SurfaceRow, ToolSpec, UnsupportedPair } from './matrix-types.js';
import { PROVIDERS } from './provider-table.js';
import { SURFACES } from './surface-table.js';

/*
 * THE CROSS MATRIX: every surface × every provider adapter × {plain text, stream, tool-call
 * round trip, streamed tool-call round trip}, generated from two tables. Surfaces and providers
 * are adapters to the canonical model, never to each other, so every pair must work; this file
 * is where that claim is checked.
 *
 * - surface-table.ts: one row per client-facing surface, driven by its official SDK.
 * - provider-table.ts: one row per provider adapter: a config entry and a mock upstream
 *   replaying recorded traffic (upstream-dialects.ts reads requests and recordings per wire
 *   format).
 *
 * Every answer is compared with the recording the mock replayed (text, finish, tool call id,
 * name and arguments); every tool round trip also checks what the upstream received in its own
 * dialect on the second turn (the assistant's tool call and the tool result, same id); every
 * request checks which provider served it and whether it went by passthrough (same dialect) or
 * through the canonical model.
 *
 * To add a surface (Google GenAI, Bedrock, Cohere, Responses, ...): add one SurfaceRow to
 * SURFACES — how its SDK sends text, a stream and a tool round trip, how it reads the answer
 * back, and which SDK error classes it raises (errors.test.ts uses that part).
 * To add a provider (Gemini, Vertex Gemini, Bedrock, Azure, Cohere, ...): add one ProviderRow to
 * PROVIDERS — its config entry, its mock routes and six recordings; for a new wire format also
 * add an UpstreamDialect to upstream-dialects.ts (how to read its requests and recordings).
 * A pair that cannot work goes in UNSUPPORTED below with the reason. It is not skipped: its
 * test asserts that the gateway refuses the request with an error, so the entry is removed the
 * day the pair starts working.
 */

const UNSUPPORTED: UnsupportedPair[] = [];

const TOOL_OUTPUT = '15 degrees and sunny';

type Scenario = (client: SurfaceClient, provider: ProviderRow, model: string, gateway: MatrixGateway) => Promise<void>;

function toolFor(provider: ProviderRow): ToolSpec {
  const name = provider.upstream.recordedTurn(provider.fixtures.toolCall).toolCalls[0]!.name;
  return { name, description: 'Get the current weather for a location', parameters: { type: 'object', properties: { location: { type: 'string' } } } };
}

function toolRoundTrip(stream: boolean): Scenario {
  return async (client, provider, model, gateway) => {
    const mock = gateway.mocks.get(provider.id)!;
    const before = mock.requests.length;
    const recorded = provider.upstream.recordedTurn(stream ? provider.fixtures.streamToolCall : provider.fixtures.toolCall);
    const recordedFinal = provider.upstream.recordedTurn(stream ? provider.fixtures.streamFollowUp : provider.fixtures.followUp);
    const tool = toolFor(provider);
    const { first, final } = await client.toolRoundTrip(model, tool, TOOL_OUTPUT, { stream });

    expect(first.finish).toBe('tool-calls');
    expect(first.text).toBe(recorded.text);
    expect(first.toolCalls).toEqual([recorded.toolCalls[0]]);
    expect(final).toMatchObject({ text: recordedFinal.text, finish: recordedFinal.finish, toolCalls: [] });

    // What the upstream received, in its own dialect.
    const sent = mock.requests.slice(before);
    expect(sent).toHaveLength(2);
    expect(provider.upstream.readTurn(sent[0]!)).toMatchObject({ stream, toolNames: [tool.name], toolResults: [] });
    const second = provider.upstream.readTurn(sent[1]!);
    expect(second.toolNames).toEqual([tool.name]);
    expect(second.assistantToolCalls).toEqual([recorded.toolCalls[0]]);
    expect(second.toolResults).toEqual([{ id: recorded.toolCalls[0]!.id, content: TOOL_OUTPUT }]);
  };
}

const SCENARIOS: Record<string, Scenario> = {
  'plain text': async (client, provider, model) => {
    const recorded = provider.upstream.recordedTurn(provider.fixtures.text);
    const turn = await client.text(model);
    expect(turn).toMatchObject({ text: recorded.text, finish: recorded.finish, toolCalls: [] });
    if (recorded.usage !== undefined) expect(turn.usage?.output).toBeGreaterThan(0);
  },
  stream: async (client, provider, model) => {
    const recorded = provider.upstream.recordedTurn(provider.fixtures.stream);
    const turn = await client.stream(model);
    expect(recorded.text.length).toBeGreaterThan(0);
    expect(turn).toMatchObject({ text: recorded.text, finish: recorded.finish });
    if (recorded.usage !== undefined) expect(turn.usage?.output).toBeGreaterThan(0);
  },
  'tool round trip': toolRoundTrip(false),
  'streamed tool round trip': toolRoundTrip(true),
};

let gateway: MatrixGateway;

beforeAll(async () => {
  gateway = await startMatrixGateway(PROVIDERS);
});
afterAll(async () => {
  await gateway?.close();
});

function unsupported(surface: SurfaceRow, provider: ProviderRow, scenario: string): UnsupportedPair | undefined {
  return UNSUPPORTED.find((pair) => pair.surface === surface.name && pair.provider === provider.id && (pair.scenario === undefined || pair.scenario === scenario));
}

for (const surface of SURFACES) {
  describe(`${surface.name} surface`, () => {
    for (const provider of PROVIDERS) {
      describe(`× ${provider.id} (${provider.dialect})`, () => {
        const passthrough = surface.dialect === provider.dialect && provider.passthrough;
        for (const [name, scenario] of Object.entries(SCENARIOS)) {
          const run = () => scenario(surface.client(gateway.url), provider, `${provider.id}/${provider.model}`, gateway);
          const cannot = unsupported(surface, provider, name);
          if (cannot !== undefined) {
            it(`${name}: cannot work — ${cannot.reason}`, async () => {
              await expect(run()).rejects.toBeDefined();
            });
            continue;
          }
          it(`${name} (${passthrough ? 'passthrough' : 'canonical'})`, async () => {
            const since = gateway.records.length;
            await run();
            const expected = name.includes('tool') ? 2 : 1;
            const records = await gateway.recordsSince(since, expected);
            expect(records.map((record) => ({ status: record.status, provider: record.provider, passthrough: record.passthrough }))).toEqual(
              Array.from({ length: expected }, () => ({ status: 200, provider: provider.id, passthrough })),
            );
          });
        }
      });
    }
  });
}
