import { describe, expect, it } from 'vitest';
import { decodeCountTokensInput } from '../../../../src/api/bedrock/bedrock-count-tokens.js';
import type { SurfaceRequestInfo } from '../../../../src/api/surface.js';
import { readFixtureJson } from '../../../helpers/fixtures.js';

const info: SurfaceRequestInfo = { headers: {}, params: { modelId: 'anthropic/claude-sonnet-4-5' }, query: undefined };

describe('Bedrock CountTokens input', () => {
  it('converse: a Converse request without the model', () => {
    const { request } = decodeCountTokensInput({ input: { converse: { system: [{ text: 'Be brief.' }], messages: [{ role: 'user', content: [{ text: 'Hello' }] }] } } }, info);
    expect(request).toMatchObject({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      ],
    });
  });

  it('invokeModel: the base64 of an InvokeModel body (as the AWS SDK sends blobs), max_tokens not required', () => {
    const { max_tokens: _maxTokens, ...recorded } = readFixtureJson<Record<string, unknown>>('bedrock-invoke/invoke-anthropic-messages.request.json');
    const body = Buffer.from(JSON.stringify(recorded)).toString('base64');
    const { request } = decodeCountTokensInput({ input: { invokeModel: { body } } }, info);
    expect(request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'summarize the plot to the lord of the rings in a dozen words' }] }]);
  });

  it('anything else is a 400 naming input', () => {
    expect(() => decodeCountTokensInput({ input: {} }, info)).toThrow(/input must hold converse or invokeModel/);
    expect(() => decodeCountTokensInput({}, info)).toThrow(/input/);
  });
});
