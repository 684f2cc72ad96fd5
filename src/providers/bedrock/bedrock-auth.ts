import { credentialsError, AwsRequestSigner } from '../../transport/aws-sigv4.js';
import { AwsCredentialSources } from '../../transport/aws-credentials.js';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import type { ProviderKey } from '../provider-settings.js';
import { readKeyOptions } from './bedrock-settings.js';

/** Bedrock Runtime's SigV4 signing name. */
export const BEDROCK_SIGNING_SERVICE = 'bedrock';

/**
 * Authentication for Bedrock requests, per key:
 * - a key `value` is a Bedrock API key, sent as `Authorization: Bearer` (no signing);
 * - otherwise the request is SigV4-signed with the key's access key pair, its profile, or the
 *   standard AWS credential chain (environment, SSO, web identity, shared files, ECS/EC2).
 * Signers are cached per key and region (they cache derived signing keys).
 */
export class BedrockAuth {
  private readonly provider: string;
  private readonly defaultRegion: string | undefined;
  private readonly sources = new AwsCredentialSources();
  private readonly signers = new Map<string, AwsRequestSigner>();

  constructor(provider: string, defaultRegion: string | undefined) {
    this.provider = provider;
    this.defaultRegion = defaultRegion;
  }

  /** The region a key signs for: its own, else the provider's. */
  regionFor(key: ProviderKey | undefined): string {
    return readKeyOptions(key).region ?? this.defaultRegion ?? 'us-east-1';
  }

  authenticate(request: UpstreamRequest, key: ProviderKey | undefined): void | Promise<void> {
    if (key?.value !== undefined) {
      request.headers.authorization = `Bearer ${key.value}`;
      return;
    }
    return this.sign(request, key);
  }

  private async sign(request: UpstreamRequest, key: ProviderKey | undefined): Promise<void> {
    const region = this.regionFor(key);
    const cacheKey = `${key?.name ?? ''}\u0000${region}`;
    let signer = this.signers.get(cacheKey);
    if (signer === undefined) {
      signer = new AwsRequestSigner({ service: BEDROCK_SIGNING_SERVICE, region, credentials: this.sources.source(readKeyOptions(key)) });
      this.signers.set(cacheKey, signer);
    }
    try {
      await signer.sign(request);
    } catch (error) {
      throw credentialsError(error, this.provider);
    }
  }
}
