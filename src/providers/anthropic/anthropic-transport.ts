import type { IncomingHttpHeaders } from 'node:http';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import type { ProviderKey } from '../provider-settings.js';

type Json = Record<string, unknown>;

/**
 * How the Anthropic Messages dialect reaches one platform: the Anthropic API itself (x-api-key,
 * /v1/messages) or Claude on Vertex AI (Google OAuth, :rawPredict URLs, anthropic_version in the
 * body). The dialect code is shared; a transport only places, shapes and signs the request.
 */
export interface AnthropicTransport {
  /** The request for a converted Messages body (the transport may move `model` elsewhere). */
  messages(body: Json, model: string, stream: boolean, betas: readonly string[]): UpstreamRequest;
  /** The request for the client's own body bytes, patched (undefined when it cannot be). */
  passthroughMessages(rawBody: Buffer, model: string, stream: boolean, betas: readonly string[], removeFields: readonly string[]): UpstreamRequest | undefined;
  countTokens(body: Json, model: string, betas: readonly string[]): UpstreamRequest;
  authenticate(request: UpstreamRequest, key: ProviderKey | undefined): void | Promise<void>;
}

/** Beta names from `anthropic-beta` header values (comma-separated, possibly repeated). */
export function parseBetaHeader(value: IncomingHttpHeaders[string]): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item !== '');
}

/** One `anthropic-beta` value from several sources, without repeats. */
export function joinBetas(...lists: ReadonlyArray<readonly string[]>): string | undefined {
  const all = new Set<string>();
  for (const list of lists) for (const beta of list) all.add(beta);
  return all.size === 0 ? undefined : [...all].join(',');
}
