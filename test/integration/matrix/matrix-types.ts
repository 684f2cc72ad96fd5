import type { MockReply, MockUpstream, RecordedRequest } from '../../helpers/mock-upstream.js';

/*
 * The vocabulary of the cross matrix: what a surface row and a provider row must provide.
 * Answers are normalised to one small shape so any surface can be compared with any provider's
 * recording.
 */

/** How a turn ended, in neutral words (each surface row maps its own finish values). */
export type Finish = 'stop' | 'tool-calls' | 'length' | `other:${string}`;

export interface SeenToolCall {
  id: string;
  name: string;
  /** Parsed arguments. */
  input: unknown;
}

/** One model turn as a client read it back (or as a recording says it was). */
export interface Turn {
  text: string;
  finish: Finish;
  toolCalls: SeenToolCall[];
  /** Token usage when the client saw it. */
  usage?: { input: number; output: number };
  /** Signatures of the turn's reasoning blocks (recordings only; where the wire format has them). */
  reasoningSignatures?: string[];
}

/** The tool every round trip declares: its name comes from the provider's recording. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface RoundTrip {
  /** The turn that asked for the tool. */
  first: Turn;
  /** The turn after the tool result was sent back. */
  final: Turn;
}

/** What a client of one surface does, in that surface's wire format. */
export interface SurfaceClient {
  /** One non-streaming request: a system prompt and a user message, with TEXT_OPTIONS. */
  text(model: string): Promise<Turn>;
  /** One streaming request, accumulated by the client. */
  stream(model: string): Promise<Turn>;
  /**
   * Ask with `tools` declared, send the conversation back with the assistant turn and
   * `toolOutput` as the result of every tool call it made, and read the final answer.
   */
  toolRoundTrip(model: string, tools: ToolSpec[], toolOutput: string, options: { stream: boolean }): Promise<RoundTrip>;
}

/** The canonical errors every surface must express in its own shape. */
export type ErrorCase = 'rate-limit' | 'authentication' | 'bad-request' | 'overloaded' | 'unreachable' | 'invalid-request' | 'mid-stream';

/** The error cases a provider's upstream produces (the others are the gateway's own). */
export type UpstreamErrorCase = Exclude<ErrorCase, 'unreachable' | 'invalid-request'>;

/** The canonical error an upstream failure becomes. */
export interface CanonicalError {
  code: string;
  status: number;
}

/** What a client of one surface sees for one canonical error. */
export interface ErrorExpectation {
  /** The SDK's error class the client must raise. */
  errorClass: abstract new (...args: never[]) => Error;
  /**
   * The error type in the surface's body (OpenAI `error.type`, Anthropic `error.error.type`);
   * omitted when the client does not expose one. A function where the surface names a stream
   * failure after the canonical error it was (GenAI status names, Bedrock exception names).
   */
  type?: string | ((canonical: CanonicalError) => string);
}

export interface SurfaceErrors {
  /** Send a request that the surface's own validation refuses (a 400 before any upstream call). */
  invalid(gatewayUrl: string): Promise<unknown>;
  /** Send a request (streaming or not) whose prompt is `prompt`; resolve with what the SDK threw. */
  call(gatewayUrl: string, model: string, prompt: string, options: { stream: boolean }): Promise<unknown>;
  /** Read the SDK error: status, retry-after and x-switchyard-error-code headers, the body's error type. */
  read(error: unknown): { status: number | undefined; retryAfter: string | null | undefined; errorCode: string | null | undefined; type: string | undefined };
  expect: Record<ErrorCase, ErrorExpectation>;
  /** A failure after the stream started still tells the client its status and code (GenAI's error events do). */
  streamErrorsCarryStatus?: boolean;
  /** The status the surface answers with for a canonical error, when it is not always the canonical status (Cohere uses only its own statuses). */
  statusFor?(canonical: CanonicalError): number;
}

/** A client-facing surface: one row of the matrix. */
export interface SurfaceRow {
  name: string;
  /** The surface's dialect; the same-dialect provider pairs go by passthrough. */
  dialect: string;
  /** Options of TEXT_OPTIONS the surface's wire format cannot express (the client sends nothing). */
  lacks?: readonly TextOption[];
  client(gatewayUrl: string): SurfaceClient;
  /** Close what the row's clients keep open (HTTP/2 sessions), after the tests. */
  release?(): void;
  errors: SurfaceErrors;
}

/** What the mock upstream received, read in its own dialect. */
export interface UpstreamTurn {
  stream: boolean;
  toolNames: string[];
  /** Tool results the client sent back, by tool call id. */
  toolResults: Array<{ id: string; content: string }>;
  /** Tool calls of earlier assistant turns the client sent back. */
  assistantToolCalls: SeenToolCall[];
  /** Signatures of the reasoning blocks of earlier assistant turns the client sent back (where the wire format has them). */
  assistantReasoningSignatures?: string[];
  /** The system prompt, sampling and limits as the upstream received them. */
  system: string | undefined;
  maxTokens: number | undefined;
  temperature: number | undefined;
  stop: string[] | undefined;
}

/** The options every surface sends with the plain text request, in its own wire format. */
export const TEXT_OPTIONS = { system: 'Answer in one short paragraph.', maxTokens: 300, temperature: 0.5, stop: ['END'] } as const;

/** The sampling and limit options of TEXT_OPTIONS, by name. */
export type TextOption = keyof typeof TEXT_OPTIONS;

/** An upstream's answer for a canonical error case, and what a client must see of it. */
export interface UpstreamError {
  reply: MockReply;
  /** The error type the upstream names (kept for clients of the same dialect). */
  type?: string;
  /** The status a client sees, when the canonical status differs from the upstream's (default: the reply's). */
  status?: number;
  /** The retry-after a client sees for a rate limit (default "7", the mocks' header). */
  retryAfter?: string;
  /** For a failure after the stream started: the canonical error it becomes. */
  canonical?: CanonicalError;
}

/** An upstream wire format: how a mock of it reads requests and recordings. */
export interface UpstreamDialect {
  name: string;
  readTurn(request: RecordedRequest): UpstreamTurn;
  /** The answer a recording holds, as a client should see it. */
  recordedTurn(fixture: string): Turn;
  /** The upstream's own reply for a canonical error case. */
  errorReply(errorCase: UpstreamErrorCase, fixtures: RecordedFixtures): UpstreamError;
  /** How the mock serves a recording (default: the file, streams cut at random offsets). */
  reply?(fixture: string): MockReply;
  /** Options of TEXT_OPTIONS this wire format has no field for (the gateway warns and sends nothing). */
  lacks?: readonly TextOption[];
  /**
   * The wire format has no tool call ids (Gemini): the gateway makes them up, so a client's ids
   * are not compared with the recording's; `resultKey` says what a tool result names instead.
   */
  generatedToolCallIds?: boolean;
  /** What a tool result carries on this wire to point at its call (default: the call's id). */
  resultKey?(call: SeenToolCall): string;
}

/** The recordings one provider row replays, by scenario. */
export interface RecordedFixtures {
  text: string;
  stream: string;
  /** One tool call (non-streaming and streaming), where the provider was recorded making one. */
  toolCall?: string;
  streamToolCall?: string;
  /** The answer after a tool result (non-streaming and streaming). */
  followUp: string;
  streamFollowUp: string;
  /** Several tool calls in one turn, where the provider was recorded making them. */
  parallelToolCalls?: string;
  streamParallelToolCalls?: string;
}

/** A provider adapter: one column of the matrix. */
export interface ProviderRow {
  /** Provider id in the gateway config; clients address `${id}/${model}`. */
  id: string;
  dialect: string;
  model: string;
  upstream: UpstreamDialect;
  fixtures: RecordedFixtures;
  /** The config entry, given the mock's URL. */
  config(mockUrl: string): Record<string, unknown>;
  /** Register the mock's routes; `reply` picks the recording for a request. */
  mount(mock: MockUpstream, reply: (request: RecordedRequest) => MockReply | Promise<MockReply>): void;
  /** Start what the row needs besides its mock (e.g. an OAuth token endpoint), before `config`. */
  prepare?(): Promise<void>;
  /** Stop what `prepare` started. */
  release?(): Promise<void>;
  /** Same-dialect surfaces forward bytes to this provider (passthrough). */
  passthrough: boolean;
}

/** A surface × provider pair that cannot work, and why (checked: it must fail as described). */
export interface UnsupportedPair {
  surface: string;
  provider: string;
  scenario?: string;
  reason: string;
}
