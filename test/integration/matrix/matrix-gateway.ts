import type { RequestRecord } from '../../../src/pipeline/request-record.js';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream, type MockReply, type RecordedRequest } from '../../helpers/mock-upstream.js';
import type { ProviderRow, RecordedFixtures, UpstreamErrorCase, UpstreamTurn } from './matrix-types.js';

/** `trigger:<error case>` in a prompt makes a mock answer with that error. */
const TRIGGER = /trigger:(rate-limit|authentication|bad-request|overloaded|mid-stream)/;

/** The provider id of a target that refuses connections (nothing listens on port 9). */
export const DOWN_PROVIDER = 'down';

/** Which recording answers this request. */
export function pickFixture(fixtures: RecordedFixtures, turn: UpstreamTurn): string {
  if (turn.toolResults.length > 0) return turn.stream ? fixtures.streamFollowUp : fixtures.followUp;
  // Declaring two or more tools asks for the parallel recording, where there is one.
  const parallel = turn.toolNames.length > 1 ? (turn.stream ? fixtures.streamParallelToolCalls : fixtures.parallelToolCalls) : undefined;
  if (parallel !== undefined) return parallel;
  if (turn.toolNames.length > 0) {
    const single = turn.stream ? fixtures.streamToolCall : fixtures.toolCall;
    if (single === undefined) throw new Error('no recording of a single tool call');
    return single;
  }
  return turn.stream ? fixtures.stream : fixtures.text;
}

function replay(row: ProviderRow): (request: RecordedRequest) => MockReply {
  return (request) => {
    const trigger = TRIGGER.exec(request.body)?.[1] as UpstreamErrorCase | undefined;
    if (trigger !== undefined) return row.upstream.errorReply(trigger, row.fixtures).reply;
    const fixture = pickFixture(row.fixtures, row.upstream.readTurn(request));
    if (row.upstream.reply !== undefined) return row.upstream.reply(fixture);
    // Streams are cut at random offsets, so every decoder meets split events.
    return fixtureReply(fixture, fixture.endsWith('.sse') || fixture.endsWith('.eventstream') ? { chunkSize: 41, randomChunks: true } : {});
  };
}

export interface MatrixGateway {
  gateway: TestGateway;
  url: string;
  mocks: Map<string, MockUpstream>;
  /** Completed request records, oldest first. */
  records: RequestRecord[];
  /** The records of the requests completed since `since` (waits for completion hooks to run). */
  recordsSince(since: number, count: number): Promise<RequestRecord[]>;
  close(): Promise<void>;
}

/**
 * One mock upstream per provider row and one in-process gateway configured with all of them.
 * Retries are off (`retry: { attempts: 0 }`): every error reaches the client from the first
 * attempt, and each scenario's upstream requests are exactly the ones it made.
 */
export async function startMatrixGateway(providers: readonly ProviderRow[], extraProviders: Record<string, unknown> = {}): Promise<MatrixGateway> {
  const mocks = new Map<string, MockUpstream>();
  const config: Record<string, unknown> = {};
  for (const row of providers) {
    const mock = await new MockUpstream().start();
    await row.prepare?.();
    row.mount(mock, replay(row));
    mocks.set(row.id, mock);
    config[row.id] = { retry: { attempts: 0 }, ...row.config(mock.url) };
  }
  config[DOWN_PROVIDER] = { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', keys: [{ value: 'sk-down' }] };
  const gateway = await startTestGateway({ providers: { ...config, ...extraProviders } });
  const records: RequestRecord[] = [];
  gateway.gateway.runtime.hooks.complete.push((record) => records.push(record));
  return {
    gateway,
    url: gateway.url,
    mocks,
    records,
    async recordsSince(since, count) {
      for (let i = 0; i < 100 && records.length < since + count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return records.slice(since);
    },
    async close() {
      await gateway.close();
      await Promise.all([...mocks.values()].map((mock) => mock.stop()));
      await Promise.all(providers.map((row) => row.release?.()));
    },
  };
}
