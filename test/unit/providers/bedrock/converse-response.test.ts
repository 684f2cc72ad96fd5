import { describe, expect, it } from 'vitest';
import { readFixtureJson } from '../../../helpers/fixtures.js';
import { bedrockProvider, callContext, STATIC_KEYS } from './bedrock-test-provider.js';

const provider = bedrockProvider({ region: 'us-east-1', keys: [STATIC_KEYS] });
const decode = (name: string, model = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0') => {
  const response = provider.chat!.decodeResponse(readFixtureJson(`bedrock-converse/${name}`), callContext(provider, model));
  return { ...response, id: response.id.replace(/^bedrock-[0-9a-f-]{36}$/, 'bedrock-<uuid>'), created: typeof response.created };
};

describe('bedrock converse: responses', () => {
  it('text with usage and metrics', () => {
    expect(decode('converse-text.json', 'us.amazon.nova-micro-v1:0')).toMatchInlineSnapshot(`
      {
        "choices": [
          {
            "content": [
              {
                "text": "Hello! How can I assist you today? Whether you have questions, need information, or just want to chat, I'm here to help.",
                "type": "text",
              },
            ],
            "finishReason": {
              "raw": "end_turn",
              "unified": "stop",
            },
            "index": 0,
          },
        ],
        "created": "number",
        "id": "bedrock-<uuid>",
        "model": "us.amazon.nova-micro-v1:0",
        "providerMetadata": {
          "bedrock": {
            "metrics": {
              "latencyMs": 268,
            },
          },
        },
        "usage": {
          "inputTokens": 7,
          "outputTokens": 30,
          "raw": {
            "inputTokens": 7,
            "outputTokens": 30,
            "totalTokens": 37,
          },
          "totalTokens": 37,
        },
      }
    `);
  });

  it('max_tokens is a length stop', () => {
    const response = decode('converse-max-tokens.json');
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'length', raw: 'max_tokens' });
    expect(response.usage).toMatchObject({ inputTokens: 13, outputTokens: 5, totalTokens: 18 });
  });

  it('reasoning with its signature, then text; cache counts in both spellings', () => {
    const response = decode('converse-reasoning.json');
    expect(response.choices[0]!.content).toMatchInlineSnapshot(`
      [
        {
          "signature": "EvYBCkgICxABGAIqQA9E9VC377UnbjdfXCw4RwQaaIXsqocZKzI3WwWtXT/wBjzAkBOfIiVkP/mhvsPGb5oQW/2j+E1tZcNFoXIb26YSDBTSbDrbHwXJoAl3/hoMA/Qo4rIHvObP/yBrIjAT+l69mh9k7evFO+w+ransSD5YGq4hYrieOyJH3k/zHv8nBJwiz3Nlrb3jNFi2Ib0qXJH7BIK0hR85yYIoccReoJUpeLEMxeWbsO6f0EpOSMSi3YDLd1U9NAw7Itjeay1fEBPHwvawt2M4e/rn52SsuEz3p2DfOZm+N3bnL63rg0Cb9lFcp3k5kuU1h6hcGAE=",
          "text": "Let me count the r's in "strawberry":

      s-t-r-a-w-b-e-r-r-y

      There are 3 r's.",
          "type": "reasoning",
        },
        {
          "text": "There are **3** r's in "strawberry":

      1. st**r**awbe**r****r**y",
          "type": "text",
        },
      ]
    `);
    expect(response.usage).toMatchObject({ inputTokens: 51, outputTokens: 78, totalTokens: 129, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  it('thinking, text and a tool call with empty input', () => {
    const response = decode('converse-thinking-tool-use.json');
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(response.choices[0]!.content.map((part) => part.type)).toEqual(['reasoning', 'text', 'tool-call']);
    expect(response.choices[0]!.content[2]).toEqual({ type: 'tool-call', id: 'tooluse_W9DaUFg4Tj2cRPpndqxWSg', name: 'get_user_country', arguments: '{}' });
  });

  it('cache reads count into the input total', () => {
    expect(decode('converse-cache-read.json').usage).toMatchObject({ inputTokens: 1324, cacheReadTokens: 1322, cacheWriteTokens: 0, outputTokens: 5, totalTokens: 1329 });
  });

  it('cache writes with their TTL details', () => {
    const usage = decode('converse-image-input.json').usage!;
    expect(usage).toMatchObject({ inputTokens: 2077, cacheWriteTokens: 2074, cacheReadTokens: 0, outputTokens: 288, totalTokens: 2365 });
    expect(usage.cacheWrite1hTokens).toBeUndefined();
  });

  it('keeps the guardrail trace and metrics in providerMetadata.bedrock', () => {
    const response = decode('converse-guardrail-trace.json');
    const metadata = response.providerMetadata!.bedrock!;
    expect(Object.keys(metadata)).toEqual(['metrics', 'trace']);
    expect(metadata.trace).toMatchObject({ guardrail: { actionReason: 'No action.', inputAssessment: { xbgw7g293v7o: expect.any(Object) } } });
  });

  it('maps every Converse stop reason', async () => {
    const { mapBedrockStopReason } = await import('../../../../src/providers/bedrock/map-bedrock-stop-reason.js');
    const reasons = ['end_turn', 'stop_sequence', 'tool_use', 'max_tokens', 'model_context_window_exceeded', 'guardrail_intervened', 'content_filtered', 'malformed_model_output', 'malformed_tool_use', 'something_new'];
    expect(Object.fromEntries(reasons.map((raw) => [raw, mapBedrockStopReason(raw).unified]))).toMatchInlineSnapshot(`
      {
        "content_filtered": "content-filter",
        "end_turn": "stop",
        "guardrail_intervened": "content-filter",
        "malformed_model_output": "error",
        "malformed_tool_use": "error",
        "max_tokens": "length",
        "model_context_window_exceeded": "length",
        "something_new": "other",
        "stop_sequence": "stop",
        "tool_use": "tool-calls",
      }
    `);
  });

  it('citations, generated images and unknown blocks', () => {
    const response = provider.chat!.decodeResponse(
      {
        output: {
          message: {
            role: 'assistant',
            content: [
              {
                citationsContent: {
                  content: [{ text: 'Revenue grew 12%.' }],
                  citations: [{ title: 'report', sourceContent: [{ text: 'grew by 12%' }], location: { documentPage: { documentIndex: 0, start: 3, end: 4 } } }],
                },
              },
              { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } },
              { somethingNew: { value: 1 } },
            ],
          },
        },
        stopReason: 'end_turn',
        usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cacheDetails: [{ ttl: '1h', inputTokens: 7 }], cacheWriteInputTokens: 7 },
      },
      callContext(provider, 'model'),
    );
    expect(response.choices[0]!.content).toMatchObject([
      { type: 'text', text: 'Revenue grew 12%.', citations: [{ type: 'document', documentIndex: 0, title: 'report', citedText: 'grew by 12%' }] },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
    ]);
    expect(response.providerMetadata?.bedrock?.unknownContent).toEqual([{ somethingNew: { value: 1 } }]);
    expect(response.usage).toMatchObject({ inputTokens: 17, cacheWriteTokens: 7, cacheWrite1hTokens: 7 });
  });

  it('an answer without output is a bad upstream response', () => {
    expect(() => provider.chat!.decodeResponse({ message: 'odd' }, callContext(provider, 'model'))).toThrowError(expect.objectContaining({ code: 'upstream_bad_response', status: 502 }));
  });
});
