import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Usage } from '../../../src/core/index.js';
import { startMatrixGateway, type MatrixGateway } from './matrix-gateway.js';
import { TEXT_OPTIONS, type ProviderRow, type SeenToolCall, type SurfaceClient, type SurfaceRow, type TextOption, type ToolSpec, type UnsupportedPair } from './matrix-types.js';
import { PROVIDERS } from './provider-table.js';
import { SURFACES } from './surface-table.js';

/*
 * THE CROSS MATRIX: every surface × every provider adapter × {plain text, stream, tool-call
 * round trip, streamed tool-call round trip, and — where the provider was recorded making
 * several calls in one turn — parallel tool calls, plain and streamed}, generated from two
 * tables. Surfaces and providers are adapters to the canonical model, never to each other, so
 * every pair must work; this file is where that claim is checked.
 *
 * - surface-table.ts: one row per client-facing surface, driven by its official SDK (OpenAI
 *   chat completions, Anthropic Messages, Google GenAI, Bedrock Converse over HTTP/2, Cohere v2,
 *   OpenAI Responses; surface-*.ts).
 * - provider-table.ts: one row per provider adapter (and per path through it: passthrough and
 *   canonical for same-dialect pairs): a config entry and a mock upstream replaying recorded
 *   traffic, which checks the provider's credentials as the real API would (API keys, OAuth
 *   tokens from a mock token endpoint, SigV4 signatures recomputed). upstream-*.ts read requests
 *   and recordings per wire format.
 *
 * Every answer is compared with the recording the mock replayed (text, finish, tool call id,
 * name and arguments); every tool round trip also checks what the upstream received in its own
 * dialect on the second turn (the assistant's tool call and the tool result, same id, and the
 * signatures of reasoning recorded before the call, which Claude needs back); every
 * request checks which provider served it, whether it went by passthrough (same dialect) or
 * through the canonical model, and that its usage was accounted — the same usage whichever
 * surface asked. The plain text request carries a system prompt, max tokens, temperature and
 * stop sequences, each of which must reach the upstream — except what the surface cannot say or
 * the upstream cannot take (the Responses API has no stop sequences: `lacks`). Gemini's wire has
 * no tool call ids: there the client's ids are the gateway's own, results are paired by name,
 * and the call's thought signature must come back on the second turn (`generatedToolCallIds`).
 *
 * To add a surface: add one SurfaceRow to SURFACES — how its SDK sends text, a stream and a tool
 * round trip, how it reads the answer back, and which SDK error classes it raises
 * (errors.test.ts uses that part).
 * To add a provider: add one ProviderRow to PROVIDERS — its config entry, its mock routes and its
 * recordings (a scenario whose recordings the provider lacks shows as skipped "no recording of
 * ..."); for a new wire format also add an UpstreamDialect (how to read its requests and
 * recordings). Not in the table for want of recordings: Groq (no plain text stream), Perplexity
 * (one answer), OpenRouter (streams only).
 * A pair that cannot work goes in UNSUPPORTED below with the reason (e.g. { surface: 'openai',
 * provider: 'perplexity', scenario: 'tool round trip', reason: 'Perplexity has no tool calling' }).
 * It is not skipped: its test runs the scenario and asserts that it fails (refused with an error,
 * or an answer that is not the recorded one), so the entry must be removed the day the pair
 * starts working.
 */

const UNSUPPORTED: UnsupportedPair[] = [
  {
    surface: 'cohere',
    provider: 'bedrock',
    scenario: 'tool round trip',
    reason:
      "Claude's signed thinking before the tool call cannot come back: Cohere's thinking content has no signature field (the next turn with thinking on would be refused by Bedrock)",
  },
];

const TOOL_OUTPUT = '15 degrees and sunny';


type Scenario = (client: SurfaceClient, provider: ProviderRow, model: string, gateway: MatrixGateway, surface: SurfaceRow) => Promise<void>;

function toolSpec(name: string): ToolSpec {
  return { name, description: `The ${name} tool`, parameters: { type: 'object', properties: { location: { type: 'string' } } } };
}

/** A tool every parallel round trip declares besides the recorded ones, and the model never calls. */
const UNUSED_TOOL = toolSpec('get_local_time');

interface ToolRecordings {
  call: (provider: ProviderRow) => string | undefined;
  followUp: (provider: ProviderRow) => string;
  stream: boolean;
  parallel: boolean;
}

function toolRoundTrip({ call, followUp, stream, parallel }: ToolRecordings): Scenario {
  return async (client, provider, model, gateway) => {
    const mock = gateway.mocks.get(provider.id)!;
    const before = mock.requests.length;
    const recorded = provider.upstream.recordedTurn(call(provider)!);
    const recordedFinal = provider.upstream.recordedTurn(followUp(provider));
    // One tool for a single call; for parallel calls every recorded tool plus one left unused.
    const names = [...new Set(recorded.toolCalls.map((toolCall) => toolCall.name))];
    const tools = parallel ? [...names.map(toolSpec), UNUSED_TOOL] : names.map(toolSpec);
    const { first, final } = await client.toolRoundTrip(model, tools, TOOL_OUTPUT, { stream });

    expect(first.finish).toBe('tool-calls');
    expect(first.text).toBe(recorded.text);
    if (provider.upstream.generatedToolCallIds) {
      // The wire has no ids: the client's are the gateway's own (checked by the second turn below).
      expect(first.toolCalls.map(withoutId)).toEqual(recorded.toolCalls.map(withoutId));
    } else {
      expect(first.toolCalls).toEqual(recorded.toolCalls);
    }
    expect(first.toolCalls.length > 1).toBe(parallel);
    expect(final).toMatchObject({ text: recordedFinal.text, finish: recordedFinal.finish, toolCalls: [] });

    // What the upstream received, in its own dialect.
    const sent = mock.requests.slice(before);
    expect(sent).toHaveLength(2);
    const toolNames = tools.map((tool) => tool.name);
    expect(provider.upstream.readTurn(sent[0]!)).toMatchObject({ stream, toolNames, toolResults: [] });
    const second = provider.upstream.readTurn(sent[1]!);
    expect(second.toolNames).toEqual(toolNames);
    expect(second.assistantToolCalls).toEqual(recorded.toolCalls);
    // Signed reasoning before the calls must come back with them (Claude on Bedrock refuses a tool turn without its thinking).
    if ((recorded.reasoningSignatures ?? []).length > 0) expect(second.assistantReasoningSignatures).toEqual(recorded.reasoningSignatures);
    const resultKey = provider.upstream.resultKey ?? ((toolCall: SeenToolCall) => toolCall.id);
    expect(second.toolResults).toEqual(recorded.toolCalls.map((toolCall) => ({ id: resultKey(toolCall), content: TOOL_OUTPUT })));
  };
}

function withoutId({ id: _id, ...rest }: SeenToolCall): Omit<SeenToolCall, 'id'> {
  return rest;
}

/**
 * The recordings each scenario replays, in request order. A scenario runs where the provider was
 * recorded doing it (tool calls, single or parallel, are not recorded for every provider); the
 * others show as skipped "no recording of ...".
 */
const REPLAYED: Record<string, (provider: ProviderRow) => Array<string | undefined>> = {
  'plain text': (provider) => [provider.fixtures.text],
  stream: (provider) => [provider.fixtures.stream],
  'tool round trip': (provider) => [provider.fixtures.toolCall, provider.fixtures.followUp],
  'streamed tool round trip': (provider) => [provider.fixtures.streamToolCall, provider.fixtures.streamFollowUp],
  'parallel tool round trip': (provider) => [provider.fixtures.parallelToolCalls, provider.fixtures.followUp],
  'streamed parallel tool round trip': (provider) => [provider.fixtures.streamParallelToolCalls, provider.fixtures.streamFollowUp],
};

const isRecorded = (provider: ProviderRow, scenario: string): boolean => REPLAYED[scenario]!(provider).every((fixture) => fixture !== undefined);

/** The usage the gateway accounted for each request, by provider and scenario, per surface. */
const accounted = new Map<string, Array<{ surface: string; usage: Array<Omit<Usage, 'raw'> | undefined> }>>();

const SCENARIOS: Record<string, Scenario> = {
  'plain text': async (client, provider, model, gateway, surface) => {
    const recorded = provider.upstream.recordedTurn(provider.fixtures.text);
    const turn = await client.text(model);
    expect(turn).toMatchObject({ text: recorded.text, finish: recorded.finish, toolCalls: [] });
    if (recorded.usage !== undefined) expect(turn.usage?.output).toBeGreaterThan(0);
    // The system prompt, limit and sampling reached the upstream in its own terms — all but
    // what the surface cannot say or the upstream cannot take.
    const sent = provider.upstream.readTurn(gateway.mocks.get(provider.id)!.requests.at(-1)!);
    const absent = new Set([...(surface.lacks ?? []), ...(provider.upstream.lacks ?? [])]);
    const expected = Object.fromEntries(Object.entries(TEXT_OPTIONS).map(([name, value]) => [name, absent.has(name as TextOption) ? undefined : value]));
    expect(sent).toMatchObject(expected);
  },
  stream: async (client, provider, model) => {
    const recorded = provider.upstream.recordedTurn(provider.fixtures.stream);
    const turn = await client.stream(model);
    expect(recorded.text.length).toBeGreaterThan(0);
    expect(turn).toMatchObject({ text: recorded.text, finish: recorded.finish });
    if (recorded.usage !== undefined) expect(turn.usage?.output).toBeGreaterThan(0);
  },
  'tool round trip': toolRoundTrip({ call: (provider) => provider.fixtures.toolCall, followUp: (provider) => provider.fixtures.followUp, stream: false, parallel: false }),
  'streamed tool round trip': toolRoundTrip({ call: (provider) => provider.fixtures.streamToolCall, followUp: (provider) => provider.fixtures.streamFollowUp, stream: true, parallel: false }),
  'parallel tool round trip': toolRoundTrip({ call: (provider) => provider.fixtures.parallelToolCalls, followUp: (provider) => provider.fixtures.followUp, stream: false, parallel: true }),
  'streamed parallel tool round trip': toolRoundTrip({ call: (provider) => provider.fixtures.streamParallelToolCalls, followUp: (provider) => provider.fixtures.streamFollowUp, stream: true, parallel: true }),
};

let gateway: MatrixGateway;

beforeAll(async () => {
  gateway = await startMatrixGateway(PROVIDERS);
});
afterAll(async () => {
  for (const surface of SURFACES) surface.release?.();
  await gateway?.close();
});

function unsupported(surface: SurfaceRow, provider: ProviderRow, scenario: string): UnsupportedPair | undefined {
  return UNSUPPORTED.find((pair) => pair.surface === surface.name && pair.provider === provider.id && (pair.scenario === undefined || pair.scenario === scenario));
}

/**
 * Every provider row replays what the matrix must cover for every pair — plain text, a stream and
 * a tool-call round trip (streamed or not) — and the other scenarios where it was recorded.
 */
describe('provider rows', () => {
  for (const provider of PROVIDERS) {
    const missing = Object.keys(SCENARIOS).filter((name) => !isRecorded(provider, name));
    it(`${provider.id} replays text, a stream and a tool round trip${missing.length > 0 ? ` (no recording of: ${missing.join(', ')})` : ''}`, () => {
      expect(isRecorded(provider, 'plain text')).toBe(true);
      expect(isRecorded(provider, 'stream')).toBe(true);
      expect(isRecorded(provider, 'tool round trip') || isRecorded(provider, 'streamed tool round trip')).toBe(true);
    });
  }
});

for (const surface of SURFACES) {
  describe(`${surface.name} surface`, () => {
    for (const provider of PROVIDERS) {
      describe(`× ${provider.id} (${provider.dialect})`, () => {
        const passthrough = surface.dialect === provider.dialect && provider.passthrough;
        for (const [name, scenario] of Object.entries(SCENARIOS)) {
          const run = () => scenario(surface.client(gateway.url), provider, `${provider.id}/${provider.model}`, gateway, surface);
          // Scenarios beyond the required three run where the provider was recorded doing them.
          if (!isRecorded(provider, name)) continue;
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
            const replayed = REPLAYED[name]!(provider);
            const records = await gateway.recordsSince(since, replayed.length);
            expect(records.map((record) => ({ status: record.status, provider: record.provider, passthrough: record.passthrough }))).toEqual(
              replayed.map(() => ({ status: 200, provider: provider.id, passthrough })),
            );
            // Usage is accounted whenever the upstream reported it, on every path (it is what gets billed).
            replayed.forEach((fixture, index) => {
              if (provider.upstream.recordedTurn(fixture!).usage !== undefined) expect(records[index]!.usage?.outputTokens).toBeGreaterThan(0);
            });
            const key = `${provider.id}|${name}`;
            accounted.set(key, [...(accounted.get(key) ?? []), { surface: surface.name, usage: records.map((record) => (record.usage === undefined ? undefined : withoutRaw(record.usage))) }]);
          });
        }
      });
    }
  });
}

function withoutRaw(usage: Usage): Omit<Usage, 'raw'> {
  const { raw: _raw, ...rest } = usage;
  return rest;
}

// Runs after the surfaces above (tests of a file run in order): the same recording must be
// accounted the same whichever surface asked and whichever path (passthrough or canonical) served it.
describe('usage accounting agrees across surfaces', () => {
  for (const provider of PROVIDERS) {
    for (const name of Object.keys(SCENARIOS)) {
      if (!isRecorded(provider, name)) continue;
      it(`${provider.id}: ${name}`, () => {
        const seen = accounted.get(`${provider.id}|${name}`) ?? [];
        expect(seen.map((entry) => entry.surface)).toEqual(SURFACES.filter((surface) => unsupported(surface, provider, name) === undefined).map((surface) => surface.name));
        for (const entry of seen.slice(1)) expect({ surface: entry.surface, usage: entry.usage }).toEqual({ surface: entry.surface, usage: seen[0]!.usage });
      });
    }
  }
});
