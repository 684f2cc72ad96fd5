import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bedrockAccessKeyId } from '../../src/api/bedrock/bedrock-access-key.js';
import { GatewayError } from '../../src/core/index.js';
import type { GatewayModule } from '../../src/gateway.js';
import { BUILTIN_MODULES } from '../../src/modules.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { startMockBedrock } from '../helpers/mock-bedrock.js';
import { fixtureReply, type MockUpstream } from '../helpers/mock-upstream.js';

const UPSTREAM = { accessKeyId: 'AKIAUPSTREAMEXAMPLE', secretAccessKey: 'upstream-secret' };

/**
 * How governance authenticates AWS SDK clients: the SigV4 signature is not checked (the gateway
 * has no client secrets); the access key id it names is on the context, for a mapping to a
 * virtual key. A client may instead send a virtual key as a Bedrock bearer token.
 */
const accessKeyMapping: GatewayModule = {
  name: 'test-access-key-mapping',
  setup(assembly) {
    assembly.runtime.hooks.authenticate.push((context) => {
      const accessKeyId = bedrockAccessKeyId(context);
      const authorization = context.request.headers.authorization;
      if (accessKeyId === 'AKIATEAMA' || authorization === 'Bearer vk-team-b') return;
      throw new GatewayError({ code: 'authentication_failed', status: 401, message: `Unknown credential ${accessKeyId ?? 'without an access key id'}` });
    });
  },
};

describe('AWS SDK clients authenticate by access key id or bearer token, never by their signature', () => {
  let bedrock: MockUpstream;
  let gateway: TestGateway;
  const client = (options: Partial<ConstructorParameters<typeof BedrockRuntimeClient>[0]>) =>
    new BedrockRuntimeClient({ region: 'us-east-1', endpoint: `${gateway.url}/bedrock`, maxAttempts: 1, ...options });
  const converse = new ConverseCommand({ modelId: 'us.amazon.nova-micro-v1:0', messages: [{ role: 'user', content: [{ text: 'Hello!' }] }] });

  beforeAll(async () => {
    bedrock = await startMockBedrock({ [UPSTREAM.accessKeyId]: { secretAccessKey: UPSTREAM.secretAccessKey } }, () => fixtureReply('bedrock-converse/converse-text.json'));
    gateway = await startTestGateway({ providers: { bedrock: { baseUrl: bedrock.url, region: 'us-east-1', keys: [UPSTREAM] } } }, { modules: [...BUILTIN_MODULES, accessKeyMapping] });
  });
  afterAll(async () => {
    await gateway.close();
    await bedrock.stop();
  });

  it('a mapped access key id is let in, whatever secret signed the request', async () => {
    const sdk = client({ credentials: { accessKeyId: 'AKIATEAMA', secretAccessKey: 'anything at all' } });
    const answer = await sdk.send(converse);
    expect(answer.output?.message?.content?.[0]?.text).toMatch(/^Hello!/);
    // Upstream gets the gateway's own signature, never the client's.
    expect(bedrock.requests.at(-1)?.headers.authorization).toMatch(/Credential=AKIAUPSTREAMEXAMPLE\//);
    sdk.destroy();
  });

  it('an unknown access key id gets the AWS error for unrecognised clients', async () => {
    const sdk = client({ credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' } });
    const failure = await sdk.send(converse).catch((error: unknown) => error);
    expect((failure as Error).name).toBe('UnrecognizedClientException');
    expect((failure as Error).message).toBe('Unknown credential AKIASTRANGER');
    sdk.destroy();
  });

  it('a virtual key sent as a Bedrock bearer token (AWS_BEARER_TOKEN_BEDROCK) is let in', async () => {
    const sdk = client({ token: { token: 'vk-team-b' }, authSchemePreference: ['httpBearerAuth'] });
    const answer = await sdk.send(converse);
    expect(answer.stopReason).toBe('end_turn');
    sdk.destroy();
  });
});
