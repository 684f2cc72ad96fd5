import { credentialsError, AwsRequestSigner } from '../../transport/aws-sigv4.js';
import { AwsCredentialSources } from '../../transport/aws-credentials.js';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import type { ProviderKey } from '../provider-settings.js';
import { readKeyOptions } from './bedrock-settings.js';

/** Bedrock Runtime's SigV4 signing name. */
export const BEDROCK_SIGNING_SERVICE = 'bedrock';

/**
 * Authentication for Bedrock requests, per key. The request first goes to the key's region
 * (when the base URL is the regional default), since a SigV4 signature is bound to a region; then
 * - a key `value` is a Bedrock API key, sent as `Authorization: Bearer` (no signing);
 * - otherwise the request is SigV4-signed with the key's access key pair, its profile, or the
 *   standard AWS credential chain (environment, SSO, web identity, shared files, ECS/EC2).
 * Signers are cached per key and region (they cache derived signing keys).
 */
export class BedrockAuth {
  private readonly provider: string;
  private readonly defaultRegion: string | undefined;
  /** The configured origin; `{region}` in it is replaced by the key's region. */
  private readonly originTemplate: string;
  private readonly sources = new AwsCredentialSources();
  private readonly signers = new Map<string, AwsRequestSigner>();

  constructor(provider: string, defaultRegion: string | undefined, originTemplate: string) {
    this.provider = provider;
    this.defaultRegion = defaultRegion;
    this.originTemplate = originTemplate;
  }

  /** The region a key signs for: its own, else the provider's. */
  regionFor(key: ProviderKey | undefined): string {
    return readKeyOptions(key).region ?? this.defaultRegion ?? 'us-east-1';
  }

  /** The origin requests for this key go to. */
  originFor(key: ProviderKey | undefined): string {
    return this.originTemplate.includes('{region}') ? this.originTemplate.replace('{region}', this.regionFor(key)) : this.originTemplate;
  }

  authenticate(request: UpstreamRequest, key: ProviderKey | undefined): void | Promise<void> {
    if (request.origin === this.originTemplate) request.origin = this.originFor(key);
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
