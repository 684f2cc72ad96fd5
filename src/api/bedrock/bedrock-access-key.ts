import type { RequestContext } from '../../pipeline/request-context.js';
import { parseSigV4Authorization } from '../../transport/aws-sigv4.js';

/**
 * AWS SDK clients sign every call with SigV4. That signature is not a credential for the
 * gateway (it holds no provider secret and the gateway does not know the client's secret key):
 * the surface only reads the access key id out of `Authorization: AWS4-HMAC-SHA256
 * Credential=<AKID>/...` and leaves it here, so governance can map access key ids to virtual
 * keys. A client that sends `Authorization: Bearer <virtual key>` (the AWS SDK does when
 * AWS_BEARER_TOKEN_BEDROCK is set) authenticates like any other surface.
 */
export const BEDROCK_ACCESS_KEY_ID = Symbol('switchyard.bedrock.accessKeyId');

/** Note the SigV4 access key id of the request on its context (called by the Bedrock routes). */
export function recordBedrockAccessKeyId(context: RequestContext): void {
  const header = context.request.headers.authorization;
  const parsed = parseSigV4Authorization(typeof header === 'string' ? header : undefined);
  if (parsed !== undefined) context.state.set(BEDROCK_ACCESS_KEY_ID, parsed.accessKeyId);
}

/** The access key id an AWS SDK client signed this request with, if it did. */
export function bedrockAccessKeyId(context: RequestContext): string | undefined {
  const value = context.state.get(BEDROCK_ACCESS_KEY_ID);
  return typeof value === 'string' ? value : undefined;
}
