import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/**
 * The count of a provider's token-counting answer (`input_tokens`, `totalTokens`,
 * `inputTokens`): a number, or a retryable bad-response error naming the missing field.
 */
export function readTokenCount(body: unknown, field: string, provider: string): number {
  const count = isRecord(body) ? body[field] : undefined;
  if (typeof count === 'number') return count;
  throw new GatewayError({
    code: 'upstream_bad_response',
    status: 502,
    retryable: true,
    message: `Provider "${provider}" returned a token count without ${field}`,
    upstream: { provider },
  });
}
