import { createRequire } from 'node:module';
import type * as CredentialProviderNode from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsCredentialSource } from './aws-sigv4.js';

const require = createRequire(import.meta.url);

/** The AWS credential chain, loaded when a key first needs it (keys with an access key pair never do). */
function defaultProvider(init: Parameters<typeof CredentialProviderNode.defaultProvider>[0]): AwsCredentialIdentityProvider {
  const module = require('@aws-sdk/credential-provider-node') as typeof CredentialProviderNode;
  return module.defaultProvider(init);
}

/** Credential settings a config key may carry (all optional). */
export interface AwsKeyCredentials {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** A named profile of the shared AWS config files (~/.aws/config, ~/.aws/credentials). */
  profile?: string;
}

/**
 * Credential sources for the keys of one provider. Keys with an access key pair sign with it;
 * the others use the standard AWS chain (environment, SSO, web identity, shared files, ECS/EC2
 * metadata) through the AWS SDK's own provider, created once per profile and cached: the chain
 * memoizes what it found and refreshes temporary credentials before they expire.
 */
export class AwsCredentialSources {
  private readonly chains = new Map<string, AwsCredentialIdentityProvider>();

  source(credentials: AwsKeyCredentials): AwsCredentialSource {
    if (credentials.accessKeyId !== undefined && credentials.secretAccessKey !== undefined) {
      return {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
      };
    }
    const profile = credentials.profile ?? '';
    let chain = this.chains.get(profile);
    if (chain === undefined) {
      chain = defaultProvider(profile === '' ? {} : { profile });
      this.chains.set(profile, chain);
    }
    return chain;
  }
}
