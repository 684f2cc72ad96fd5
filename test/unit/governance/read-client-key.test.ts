import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { readClientKeys } from '../../../src/governance/read-client-key.js';

const request = (headers: Record<string, string>, url = '/v1/chat/completions'): IncomingMessage =>
  ({ headers, url }) as unknown as IncomingMessage;

describe('reading the client key wherever its SDK puts it', () => {
  it.each<[Record<string, string>, string]>([
    [{ authorization: 'Bearer sk-sy-a' }, 'OpenAI, Bedrock API keys'],
    [{ authorization: 'bearer   sk-sy-a ' }, 'any case and spacing'],
    [{ 'x-api-key': 'sk-sy-a' }, 'Anthropic'],
    [{ 'api-key': 'sk-sy-a' }, 'Azure OpenAI'],
    [{ 'x-goog-api-key': 'sk-sy-a' }, 'Google GenAI'],
  ])('%o (%s)', (headers, _sdk) => {
    expect(readClientKeys(request(headers))).toEqual(['sk-sy-a']);
  });

  it('reads the Gemini REST ?key= parameter', () => {
    expect(readClientKeys(request({}, '/genai/v1beta/models/x:generateContent?alt=sse&key=sk-sy-q'))).toEqual(
      ['sk-sy-q'],
    );
  });

  it('offers every distinct candidate, and ignores other schemes', () => {
    expect(
      readClientKeys(request({ authorization: 'Bearer one', 'x-api-key': 'two', 'api-key': 'one' })),
    ).toEqual(['one', 'two']);
    expect(readClientKeys(request({ authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/…' }))).toEqual([]);
    expect(readClientKeys(request({ authorization: 'Bearer ' }))).toEqual([]);
  });
});
