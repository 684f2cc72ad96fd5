import type { ChatRequest } from '../core/index.js';
import { parseUpstreamJson } from '../json/parse-json.js';
import type { ProviderKey } from '../providers/provider-settings.js';
import type { Target } from '../router/target.js';
import { readUpstreamBody } from '../transport/send-upstream.js';
import { callContext, recordTarget, sendToProvider } from './call-provider.js';
import type { RequestContext } from './request-context.js';
import type { AttemptRecord } from './request-record.js';
import type { GatewayRuntime } from './runtime.js';

/** Response header saying where a token count came from: "provider" or "estimated". */
export const TOKEN_COUNT_HEADER = 'x-switchyard-token-count';

/** A token count asked of the provider or estimated locally. */
export type CountedTokens = { kind: 'counted' | 'estimated'; tokens: number };

/** The provider's own answer to a count request, forwarded as is. */
export type ForwardedCount = { kind: 'forwarded'; body: Buffer };

export type TokenCount = CountedTokens | ForwardedCount;

export interface CountInputTokensOptions {
  /** A local estimate, for targets without a counting endpoint. */
  estimate(request: ChatRequest): number | Promise<number>;
}

export interface ForwardingCountOptions extends CountInputTokensOptions {
  /** A surface's own way to count at some targets (forwarding the client's body to a same-dialect provider); undefined: the usual way. */
  forward(target: Target, key: ProviderKey | undefined, attempt: AttemptRecord): Promise<ForwardedCount> | undefined;
}

/**
 * The input tokens of a decoded request (after `admit`), at the target the router picks, for
 * every surface that offers token counting: a provider with a counting endpoint (Anthropic,
 * Claude on Vertex and Bedrock, Bedrock CountTokens, Gemini and Vertex countTokens) is asked
 * through the router like any call (keys, fallbacks, attempts); any other gets the surface's
 * local estimate. The TOKEN_COUNT_HEADER response header says which.
 */
export function countInputTokens(runtime: GatewayRuntime, context: RequestContext, request: ChatRequest, options: ForwardingCountOptions): Promise<TokenCount>;
export function countInputTokens(runtime: GatewayRuntime, context: RequestContext, request: ChatRequest, options: CountInputTokensOptions): Promise<CountedTokens>;
export async function countInputTokens(runtime: GatewayRuntime, context: RequestContext, request: ChatRequest, options: CountInputTokensOptions & Partial<ForwardingCountOptions>): Promise<TokenCount> {
  const targets = runtime.router.plan(request.model, context, 'count-tokens');
  let count: TokenCount;
  if (targets[0] !== undefined && targets[0].provider.countTokens === undefined && options.forward === undefined) {
    count = { kind: 'estimated', tokens: await options.estimate(request) };
  } else {
    const { result, target, key } = await runtime.router.dispatch(context, targets, async (target, key, attempt): Promise<TokenCount> => {
      const forwarded = options.forward?.(target, key, attempt);
      if (forwarded !== undefined) return forwarded;
      const adapter = target.provider.countTokens;
      if (adapter === undefined) {
        attempt.reason = 'estimated locally (no counting endpoint)';
        return { kind: 'estimated', tokens: await options.estimate(request) };
      }
      const call = callContext(target, key, runtime.catalog);
      const upstream = adapter.buildRequest({ ...request, model: target.model }, call);
      const response = await sendToProvider(runtime, context, target.provider, key, upstream, attempt);
      const body = parseUpstreamJson((await readUpstreamBody(response, target.provider.id)).toString('utf8'), target.provider.id);
      return { kind: 'counted', tokens: adapter.decodeResponse(body, call) };
    });
    recordTarget(context.record, target, key);
    count = result;
  }
  context.responseHeaders[TOKEN_COUNT_HEADER] = count.kind === 'estimated' ? 'estimated' : 'provider';
  return count;
}
