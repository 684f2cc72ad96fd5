import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatRequest } from '../../../../src/core/index.js';
import { readFixtureJson } from '../../../helpers/fixtures.js';
import { bedrockProvider, callContext, chat, STATIC_KEYS, upstreamRequest } from './bedrock-test-provider.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('bedrock converse: upstream requests', () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-01T12:00:00Z'));
  });
  afterAll(() => vi.useRealTimers());

  const provider = bedrockProvider({ region: 'us-east-1', keys: [STATIC_KEYS] });

  it('a system prompt and one user turn, signed for the key region', async () => {
    const request = await upstreamRequest(
      provider,
      chat({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'You are a chatbot.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Hello!' }] },
        ],
        maxOutputTokens: 200,
        temperature: 0.2,
        topP: 0.9,
        stopSequences: ['END'],
      }),
      callContext(provider, CLAUDE),
    );
    expect(request).toMatchInlineSnapshot(`
      {
        "headers": {
          "accept": "application/json",
          "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250601/us-west-2/bedrock/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date, Signature=<signature>",
          "content-type": "application/json",
          "host": "bedrock-runtime.us-west-2.amazonaws.com",
          "x-amz-content-sha256": "6ec2f6414b511e9f21d9d663fa602bdeef9d1bb1553fd1d68d3afc232aabb85f",
          "x-amz-date": "20250601T120000Z",
        },
        "json": {
          "inferenceConfig": {
            "maxTokens": 200,
            "stopSequences": [
              "END",
            ],
            "temperature": 0.2,
            "topP": 0.9,
          },
          "messages": [
            {
              "content": [
                {
                  "text": "Hello!",
                },
              ],
              "role": "user",
            },
          ],
          "system": [
            {
              "text": "You are a chatbot.",
            },
          ],
        },
        "method": "POST",
        "origin": "https://bedrock-runtime.us-west-2.amazonaws.com",
        "path": "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse",
      }
    `);
  });

  it('matches the recorded request body of converse-text', async () => {
    const request = await upstreamRequest(
      provider,
      chat({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'You are a chatbot.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Hello!' }] },
        ],
      }),
      callContext(provider, 'us.amazon.nova-micro-v1:0'),
    );
    const recorded = readFixtureJson<Record<string, unknown>>('bedrock-converse/converse-text.request.json');
    // pydantic-ai also sends an empty inferenceConfig; the gateway leaves empty objects out.
    const { inferenceConfig: _empty, ...expected } = recorded;
    expect(request.json).toEqual(expected);
  });

  it('multi-turn tool use: parallel calls, results, tools and a forced tool choice', async () => {
    const request: ChatRequest = chat({
      stream: true,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are a helpful chatbot.' }] },
        { role: 'user', content: [{ type: 'text', text: 'What is the temperature of the capitals of France and Italy?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'I will look both up.' },
            { type: 'tool-call', id: 'tooluse_1', name: 'get_temperature', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', id: 'tooluse_2', name: 'get_temperature', arguments: '{"city":"Rome"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'tooluse_1', content: '21°C' },
            { type: 'tool-result', toolCallId: 'tooluse_2', content: [{ type: 'text', text: 'unavailable' }], isError: true },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'And in Celsius, please.' }] },
      ],
      tools: [
        {
          type: 'function',
          name: 'get_temperature',
          description: 'Get the temperature in a city.',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          strict: true,
        },
      ],
      toolChoice: { type: 'tool', name: 'get_temperature' },
    });
    expect(await upstreamRequest(provider, request, callContext(provider, CLAUDE))).toMatchInlineSnapshot(`
      {
        "headers": {
          "accept": "application/vnd.amazon.eventstream",
          "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250601/us-west-2/bedrock/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date, Signature=<signature>",
          "content-type": "application/json",
          "host": "bedrock-runtime.us-west-2.amazonaws.com",
          "x-amz-content-sha256": "16dcc240fdb46ec9016d78191d874de2a8be4279d5d4c8ad4e80bc27b7aa2847",
          "x-amz-date": "20250601T120000Z",
        },
        "json": {
          "messages": [
            {
              "content": [
                {
                  "text": "What is the temperature of the capitals of France and Italy?",
                },
              ],
              "role": "user",
            },
            {
              "content": [
                {
                  "text": "I will look both up.",
                },
                {
                  "toolUse": {
                    "input": {
                      "city": "Paris",
                    },
                    "name": "get_temperature",
                    "toolUseId": "tooluse_1",
                  },
                },
                {
                  "toolUse": {
                    "input": {
                      "city": "Rome",
                    },
                    "name": "get_temperature",
                    "toolUseId": "tooluse_2",
                  },
                },
              ],
              "role": "assistant",
            },
            {
              "content": [
                {
                  "toolResult": {
                    "content": [
                      {
                        "text": "21°C",
                      },
                    ],
                    "toolUseId": "tooluse_1",
                  },
                },
                {
                  "toolResult": {
                    "content": [
                      {
                        "text": "unavailable",
                      },
                    ],
                    "status": "error",
                    "toolUseId": "tooluse_2",
                  },
                },
                {
                  "text": "And in Celsius, please.",
                },
              ],
              "role": "user",
            },
          ],
          "system": [
            {
              "text": "You are a helpful chatbot.",
            },
          ],
          "toolConfig": {
            "toolChoice": {
              "tool": {
                "name": "get_temperature",
              },
            },
            "tools": [
              {
                "toolSpec": {
                  "description": "Get the temperature in a city.",
                  "inputSchema": {
                    "json": {
                      "properties": {
                        "city": {
                          "type": "string",
                        },
                      },
                      "required": [
                        "city",
                      ],
                      "type": "object",
                    },
                  },
                  "name": "get_temperature",
                  "strict": true,
                },
              },
            ],
          },
        },
        "method": "POST",
        "origin": "https://bedrock-runtime.us-west-2.amazonaws.com",
        "path": "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream",
      }
    `);
  });

  it('reasoning round trip: signed and redacted thinking go back unchanged, effort becomes a budget', async () => {
    const context = callContext(provider, CLAUDE);
    const request = await upstreamRequest(
      provider,
      chat({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'What is the largest city in the user country?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'I need the country first.', signature: 'ErcBCkgIBhABGAIiQDYN' },
              { type: 'reasoning', text: '', redactedData: 'RXRrRUNrZ0lCeEFCR0FJ' },
              { type: 'text', text: "I'll check your country." },
              { type: 'tool-call', id: 'tooluse_W9DaUFg4Tj2cRPpndqxWSg', name: 'get_user_country', arguments: '{}' },
            ],
          },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tooluse_W9DaUFg4Tj2cRPpndqxWSg', content: 'Mexico' }] },
        ],
        tools: [{ type: 'function', name: 'get_user_country', parameters: { type: 'object', properties: {}, additionalProperties: false } }],
        reasoning: { effort: 'low' },
        maxOutputTokens: 1024,
      }),
      context,
    );
    expect(request.json).toMatchInlineSnapshot(`
      {
        "additionalModelRequestFields": {
          "thinking": {
            "budget_tokens": 2048,
            "type": "enabled",
          },
        },
        "inferenceConfig": {
          "maxTokens": 3072,
        },
        "messages": [
          {
            "content": [
              {
                "text": "What is the largest city in the user country?",
              },
            ],
            "role": "user",
          },
          {
            "content": [
              {
                "reasoningContent": {
                  "reasoningText": {
                    "signature": "ErcBCkgIBhABGAIiQDYN",
                    "text": "I need the country first.",
                  },
                },
              },
              {
                "reasoningContent": {
                  "redactedContent": "RXRrRUNrZ0lCeEFCR0FJ",
                },
              },
              {
                "text": "I'll check your country.",
              },
              {
                "toolUse": {
                  "input": {},
                  "name": "get_user_country",
                  "toolUseId": "tooluse_W9DaUFg4Tj2cRPpndqxWSg",
                },
              },
            ],
            "role": "assistant",
          },
          {
            "content": [
              {
                "toolResult": {
                  "content": [
                    {
                      "text": "Mexico",
                    },
                  ],
                  "toolUseId": "tooluse_W9DaUFg4Tj2cRPpndqxWSg",
                },
              },
            ],
            "role": "user",
          },
        ],
        "toolConfig": {
          "tools": [
            {
              "toolSpec": {
                "inputSchema": {
                  "json": {
                    "additionalProperties": false,
                    "properties": {},
                    "type": "object",
                  },
                },
                "name": "get_user_country",
              },
            },
          ],
        },
      }
    `);
    expect(context.warnings).toMatchInlineSnapshot(`
      [
        {
          "code": "lossy-conversion",
          "message": "reasoning_effort "low" was sent to Claude as a thinking budget of 2048 tokens",
          "param": "reasoning_effort",
        },
        {
          "code": "lossy-conversion",
          "message": "max_tokens (1024) must exceed the thinking budget (2048); 3072 was sent so the answer keeps its room",
          "param": "max_tokens",
        },
      ]
    `);
  });

  it('matches the recorded thinking + tool request of converse-thinking-tool-use', async () => {
    const request = await upstreamRequest(
      provider,
      chat({
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the largest city in the user country?' }] }],
        tools: [{ type: 'function', name: 'get_user_country', parameters: { additionalProperties: false, properties: {}, type: 'object' } }],
        reasoning: { enabled: true, budgetTokens: 1024 },
      }),
      callContext(provider, CLAUDE),
    );
    const { system: _system, inferenceConfig: _inference, ...expected } = readFixtureJson<Record<string, unknown>>('bedrock-converse/converse-thinking-tool-use.request.json');
    expect(request.json).toEqual(expected);
  });

  it('images, documents, video and cache points', async () => {
    const context = callContext(provider, CLAUDE);
    const request = await upstreamRequest(
      provider,
      chat({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Analyse what you are given.', cacheControl: { type: 'ephemeral' } }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare these.' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
              { type: 'image', source: { kind: 'url', url: 's3://bucket/photo.png' } },
              { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQ=' }, filename: 'Q3 report (final).pdf' },
              { type: 'file', source: { kind: 'url', url: 's3://bucket/clip.mp4' }, mediaType: 'video/mp4', cacheControl: { type: 'ephemeral', ttl: '1h' } },
            ],
          },
        ],
      }),
      context,
    );
    expect(request.json).toMatchInlineSnapshot(`
      {
        "messages": [
          {
            "content": [
              {
                "text": "Compare these.",
              },
              {
                "image": {
                  "format": "jpeg",
                  "source": {
                    "bytes": "/9j/4AAQSkZJRg==",
                  },
                },
              },
              {
                "image": {
                  "format": "png",
                  "source": {
                    "s3Location": {
                      "uri": "s3://bucket/photo.png",
                    },
                  },
                },
              },
              {
                "document": {
                  "format": "pdf",
                  "name": "Q3 report (final)",
                  "source": {
                    "bytes": "JVBERi0xLjQ=",
                  },
                },
              },
              {
                "video": {
                  "format": "mp4",
                  "source": {
                    "s3Location": {
                      "uri": "s3://bucket/clip.mp4",
                    },
                  },
                },
              },
              {
                "cachePoint": {
                  "ttl": "1h",
                  "type": "default",
                },
              },
            ],
            "role": "user",
          },
        ],
        "system": [
          {
            "text": "Analyse what you are given.",
          },
          {
            "cachePoint": {
              "type": "default",
            },
          },
        ],
      }
    `);
    expect(context.warnings).toEqual([]);
  });

  it('sends the recorded image + cachePoint request of converse-image-input unchanged', async () => {
    const recorded = readFixtureJson<{ system: Array<{ text: string }>; messages: Array<{ content: Array<Record<string, unknown>> }>; inferenceConfig: unknown }>(
      'bedrock-converse/converse-image-input.request.json',
    );
    const content = recorded.messages[0]!.content;
    const image = content[2]!.image as { source: { bytes: string } };
    const request = await upstreamRequest(
      provider,
      chat({
        messages: [
          { role: 'system', content: [{ type: 'text', text: recorded.system[0]!.text }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: content[0]!.text as string },
              { type: 'text', text: content[1]!.text as string },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: image.source.bytes }, cacheControl: { type: 'ephemeral' } },
            ],
          },
        ],
      }),
      callContext(provider, CLAUDE),
    );
    const { inferenceConfig: _inference, ...expected } = recorded;
    expect(request.json).toEqual(expected);
  });

  it('matches the recorded ConverseStream requests (tool use, cache point, thinking)', async () => {
    const toolRecorded = readFixtureJson<{ toolConfig: { tools: Array<{ toolSpec: { name: string; description: string; inputSchema: { json: Record<string, unknown> } } }> } }>(
      'bedrock-converse/converse-stream-tool-use.request.json',
    );
    const tools = toolRecorded.toolConfig.tools.map((tool) => ({
      type: 'function' as const,
      name: tool.toolSpec.name,
      description: tool.toolSpec.description,
      parameters: tool.toolSpec.inputSchema.json,
    }));
    const toolRequest = await upstreamRequest(
      provider,
      chat({
        stream: true,
        topP: 0.5,
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'You are a helpful chatbot.' }] },
          { role: 'user', content: [{ type: 'text', text: 'What is the temperature of the capital of France?' }] },
        ],
        tools,
      }),
      callContext(provider, 'us.amazon.nova-micro-v1:0'),
    );
    expect(toolRequest.json).toEqual(toolRecorded);
    expect(toolRequest.path).toBe('/model/us.amazon.nova-micro-v1%3A0/converse-stream');

    const cacheRecorded = readFixtureJson<{
      system: Array<{ text?: string; cachePoint?: unknown }>;
      messages: Array<{ role: 'user'; content: Array<{ text: string }> }>;
      inferenceConfig: { maxTokens: number; temperature: number; topP: number; stopSequences: string[] };
    }>('bedrock-converse/converse-stream-cache-write.request.json');
    const { system, messages } = cacheRecorded;
    const cacheRequest = await upstreamRequest(
      provider,
      chat({
        stream: true,
        messages: [
          { role: 'system', content: [{ type: 'text', text: system[0]!.text!, cacheControl: { type: 'ephemeral' } }] },
          ...messages.map((message) => ({ role: message.role, content: message.content.map((block) => ({ type: 'text' as const, text: block.text })) })),
        ],
        maxOutputTokens: cacheRecorded.inferenceConfig.maxTokens,
        temperature: cacheRecorded.inferenceConfig.temperature,
        topP: cacheRecorded.inferenceConfig.topP,
        stopSequences: cacheRecorded.inferenceConfig.stopSequences,
      }),
      callContext(provider, CLAUDE),
    );
    expect(cacheRequest.json).toEqual(cacheRecorded);

    const thinkingRequest = await upstreamRequest(
      provider,
      chat({ stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], reasoning: { enabled: true, budgetTokens: 1024 } }),
      callContext(provider, CLAUDE),
    );
    const { system: _s, inferenceConfig: _i, ...thinkingExpected } = readFixtureJson<Record<string, unknown>>('bedrock-converse/converse-stream-thinking.request.json');
    expect(thinkingRequest.json).toEqual(thinkingExpected);
  });

  it('structured output, tool choices and unsupported parameters', async () => {
    const context = callContext(provider, 'us.amazon.nova-pro-v1:0');
    const request = await upstreamRequest(
      provider,
      chat({
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Give me a city.' }] }],
        responseFormat: { type: 'json-schema', name: 'city', description: 'A city', schema: { type: 'object', properties: { name: { type: 'string' } } }, strict: true },
        tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }],
        toolChoice: { type: 'required' },
        topK: 40,
        seed: 7,
        frequencyPenalty: 0.5,
        presencePenalty: 0.1,
        n: 2,
        logprobs: true,
        user: 'user-1',
        serviceTier: 'flex',
        parallelToolCalls: false,
        providerOptions: { bedrock: { performanceConfig: { latency: 'optimized' } }, openai: { store: true } },
      }),
      context,
    );
    expect(request.json).toMatchInlineSnapshot(`
      {
        "additionalModelRequestFields": {
          "inferenceConfig": {
            "topK": 40,
          },
        },
        "messages": [
          {
            "content": [
              {
                "text": "Give me a city.",
              },
            ],
            "role": "user",
          },
        ],
        "outputConfig": {
          "textFormat": {
            "structure": {
              "jsonSchema": {
                "description": "A city",
                "name": "city",
                "schema": "{"type":"object","properties":{"name":{"type":"string"}}}",
              },
            },
            "type": "json_schema",
          },
        },
        "performanceConfig": {
          "latency": "optimized",
        },
        "serviceTier": {
          "type": "flex",
        },
        "toolConfig": {
          "toolChoice": {
            "any": {},
          },
          "tools": [
            {
              "toolSpec": {
                "inputSchema": {
                  "json": {
                    "type": "object",
                  },
                },
                "name": "lookup",
              },
            },
          ],
        },
      }
    `);
    expect(context.warnings.map((warning) => warning.param)).toEqual([
      'parallel_tool_calls',
      'frequency_penalty',
      'presence_penalty',
      'seed',
      'n',
      'logprobs',
      'user',
      'store',
    ]);
  });

  it('tool_choice none leaves the tools out, unless the history holds tool calls', async () => {
    const tools = [{ type: 'function' as const, name: 'lookup', parameters: { type: 'object' } }];
    const plain = callContext(provider, CLAUDE);
    const first = await upstreamRequest(provider, chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools, toolChoice: { type: 'none' } }), plain);
    expect(first.json).not.toHaveProperty('toolConfig');
    expect(plain.warnings).toEqual([]);
    const withHistory = callContext(provider, CLAUDE);
    const second = await upstreamRequest(
      provider,
      chat({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'assistant', content: [{ type: 'tool-call', id: 't1', name: 'lookup', arguments: '{}' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: 'ok' }] },
        ],
        tools,
        toolChoice: { type: 'none' },
      }),
      withHistory,
    );
    expect(second.json).toMatchObject({ toolConfig: { tools: [{ toolSpec: { name: 'lookup' } }] } });
    expect(withHistory.warnings).toMatchObject([{ code: 'lossy-conversion', param: 'tool_choice' }]);
  });

  it('maps reasoning_effort per model family', async () => {
    const nova = callContext(provider, 'us.amazon.nova-2-lite-v1:0');
    const novaRequest = await upstreamRequest(provider, chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], reasoning: { effort: 'high' } }), nova);
    expect(novaRequest.json).toMatchObject({ additionalModelRequestFields: { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'high' } } });
    const gptOss = callContext(provider, 'openai.gpt-oss-120b-1:0');
    const gptOssRequest = await upstreamRequest(provider, chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], reasoning: { budgetTokens: 20000 } }), gptOss);
    expect(gptOssRequest.json).toMatchObject({ additionalModelRequestFields: { reasoning_effort: 'high' } });
    expect(gptOss.warnings).toMatchObject([{ code: 'lossy-conversion' }]);
    const llama = callContext(provider, 'meta.llama3-3-70b-instruct-v1:0');
    const llamaRequest = await upstreamRequest(provider, chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], reasoning: { effort: 'medium' } }), llama);
    expect(llamaRequest.json).not.toHaveProperty('additionalModelRequestFields');
    expect(llama.warnings).toMatchObject([{ code: 'unsupported-parameter', param: 'reasoning' }]);
    const claude = callContext(provider, CLAUDE);
    const raised = await upstreamRequest(provider, chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], reasoning: { budgetTokens: 4000 }, maxOutputTokens: 1000 }), claude);
    expect(raised.json).toMatchObject({ inferenceConfig: { maxTokens: 5000 }, additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 4000 } } });
    expect(claude.warnings).toMatchObject([{ param: 'max_tokens' }]);
  });

  it('inference profile ARNs and mapped names are percent-encoded into one path segment', async () => {
    const mapped = bedrockProvider({
      region: 'eu-central-1',
      modelIds: { 'claude-sonnet': 'arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/a1b2(c3)' },
      keys: [STATIC_KEYS],
    });
    const request = await upstreamRequest(mapped, chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }), callContext(mapped, 'claude-sonnet'));
    expect(request.origin).toBe('https://bedrock-runtime.us-west-2.amazonaws.com');
    expect(request.path).toBe('/model/arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3Aapplication-inference-profile%2Fa1b2%28c3%29/converse');
    expect(mapped.servesModel('claude-sonnet')).toBe(true);
    expect(mapped.listModels()).toEqual(['claude-sonnet']);
  });

  it('uses the provider region for keys without one, and a Bedrock API key as a bearer token', async () => {
    const regional = bedrockProvider({
      region: 'ap-northeast-1',
      keys: [
        { name: 'pair', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' },
        { name: 'api-key', value: 'bedrock-api-key-123' },
      ],
    });
    const signed = await upstreamRequest(regional, chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }), callContext(regional, CLAUDE, 'pair'));
    expect(signed.origin).toBe('https://bedrock-runtime.ap-northeast-1.amazonaws.com');
    expect(signed.headers).toMatchInlineSnapshot(`
      {
        "accept": "application/json",
        "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250601/ap-northeast-1/bedrock/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=<signature>",
        "content-type": "application/json",
        "host": "bedrock-runtime.ap-northeast-1.amazonaws.com",
        "x-amz-content-sha256": "c3335e07d6e89650bf94cb98664be69f8774dbc3198df221f113db0a59ea14f0",
        "x-amz-date": "20250601T120000Z",
        "x-amz-security-token": "session-token",
      }
    `);
    const bearer = await upstreamRequest(regional, chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }), callContext(regional, CLAUDE, 'api-key'));
    expect(bearer.headers.authorization).toBe('Bearer bedrock-api-key-123');
    expect(bearer.headers).not.toHaveProperty('x-amz-date');
  });

  it('refuses http image URLs and file ids with not_supported (another target may take them)', () => {
    const context = callContext(provider, CLAUDE);
    expect(() =>
      provider.chat!.buildRequest(chat({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } }] }] }), context),
    ).toThrowError(expect.objectContaining({ code: 'not_supported', status: 400, param: 'messages[0].content[0]' }));
    expect(() =>
      provider.chat!.buildRequest(chat({ messages: [{ role: 'user', content: [{ type: 'file', source: { kind: 'file-id', id: 'file-abc' } }] }] }), context),
    ).toThrowError(/uploaded file ids/);
  });

  it('reports history it cannot carry: unsigned reasoning, invalid tool arguments, late system messages, names', async () => {
    const context = callContext(provider, CLAUDE);
    const request = await upstreamRequest(
      provider,
      chat({
        messages: [
          { role: 'user', name: 'ann', content: [{ type: 'text', text: 'hi' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'from another provider' },
              { type: 'tool-call', id: 't1', name: 'f', arguments: '{"broken"' },
            ],
          },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: 'x' }] },
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        ],
      }),
      context,
    );
    expect(request.json).toMatchObject({
      system: [{ text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ text: 'hi' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: {} } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'x' }] } }] },
      ],
    });
    expect(context.warnings.map((warning) => [warning.code, warning.param])).toEqual([
      ['unsupported-parameter', 'messages[0].name'],
      ['lossy-conversion', 'messages[1].content[0]'],
      ['lossy-conversion', 'messages[1].content[1]'],
      ['lossy-conversion', 'messages[3]'],
    ]);
  });

  it('applies a configured guardrail', async () => {
    const guarded = bedrockProvider({ region: 'us-east-1', keys: [STATIC_KEYS], guardrail: { id: 'xbgw7g293v7o', version: 'DRAFT', trace: 'enabled', streamProcessingMode: 'async' } });
    const request = await upstreamRequest(guarded, chat({ stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }), callContext(guarded, CLAUDE));
    expect(request.json).toMatchObject({ guardrailConfig: { guardrailIdentifier: 'xbgw7g293v7o', guardrailVersion: 'DRAFT', trace: 'enabled', streamProcessingMode: 'async' } });
  });
});
