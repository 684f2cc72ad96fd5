import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../src/config/load-config.js';
import { createProviders } from '../../../../src/gateway.js';
import { bedrockProvider } from './bedrock-test-provider.js';

function envProviders(env: Record<string, string>) {
  const { config, issues } = validateConfig({}, env);
  expect(issues).toEqual([]);
  return config!.providers.filter((provider) => provider.type === 'bedrock');
}

describe('bedrock: configuration from the environment and config checks', () => {
  it('AWS access keys in the environment turn Bedrock on with the standard credential chain', () => {
    const [bedrock] = envProviders({ AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-west-1' });
    expect(bedrock).toMatchObject({ id: 'bedrock', baseUrl: 'https://bedrock-runtime.{region}.amazonaws.com', options: { region: 'eu-west-1' }, keys: [] });
  });

  it('AWS_DEFAULT_REGION, AWS_PROFILE and a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)', () => {
    expect(envProviders({ AWS_PROFILE: 'dev', AWS_DEFAULT_REGION: 'us-west-2' })[0]).toMatchObject({ options: { region: 'us-west-2' }, keys: [{ name: 'aws-profile', options: { profile: 'dev' } }] });
    expect(envProviders({ AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key', AWS_REGION: 'us-east-1' })[0]).toMatchObject({ keys: [{ name: 'aws-bearer-token-bedrock', value: 'bedrock-api-key' }] });
  });

  it('leaves Bedrock out without a region, or without AWS settings at all', () => {
    expect(envProviders({ AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'secret' })).toEqual([]);
    expect(envProviders({ OPENAI_API_KEY: 'sk' })).toEqual([]);
  });

  it('the provider built from the environment signs for the regional endpoint', () => {
    const { config } = validateConfig({}, { AWS_BEARER_TOKEN_BEDROCK: 'k', AWS_REGION: 'ap-south-1' });
    const provider = createProviders(config!).find((candidate) => candidate.type === 'bedrock')!;
    const request = provider.chat!.buildRequest({ model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }, { provider: provider.settings, model: 'amazon.nova-micro-v1:0', key: provider.settings.keys[0], warnings: [] });
    void provider.authenticate(request, provider.settings.keys[0]);
    expect(request.origin).toBe('https://bedrock-runtime.ap-south-1.amazonaws.com');
    expect(request.headers.authorization).toBe('Bearer k');
  });

  it('rejects half an access key pair and a missing region, naming the provider', () => {
    expect(() => bedrockProvider({ region: 'us-east-1', keys: [{ name: 'half', accessKeyId: 'AKIA' }] })).toThrowError('providers.bedrock: key "half" needs both accessKeyId and secretAccessKey');
    expect(() => bedrockProvider({ keys: [{ accessKeyId: 'AKIA', secretAccessKey: 's' }] })).toThrowError(/no AWS region/);
    expect(() => bedrockProvider({})).toThrowError(/no AWS region/);
    expect(bedrockProvider({}, { AWS_REGION: 'us-east-2' }).settings.options).toEqual({});
    expect(() => bedrockProvider({ region: 'Mars' })).toThrowError(/an AWS region such as us-east-1/);
  });
});
