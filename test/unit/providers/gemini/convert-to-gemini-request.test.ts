import { describe, expect, it } from 'vitest';
import { decodeOpenAiChatRequest } from '../../../../src/api/openai/decode-chat-request.js';
import { encodeOpenAiChatResponse } from '../../../../src/api/openai/encode-chat-response.js';
import type { ChatRequest, Message } from '../../../../src/core/index.js';
import { GatewayError } from '../../../../src/core/index.js';
import { decodeGeminiResponse } from '../../../../src/providers/gemini/decode-gemini-response.js';
import { readFixtureJson } from '../../../helpers/fixtures.js';
import { buildChat, makeProvider } from './provider-helpers.js';
import { shorten } from './shorten.js';
import { sequentialIds } from './stream-helpers.js';

const gemini = makeProvider('gemini', { keys: [{ value: 'AIza-test' }] });
const vertex = makeProvider('vertex', { project: 'my-project', region: 'us-central1', keys: [{ value: 'ya29.static-token' }] });

function chat(messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'gemini-2.5-flash', messages, stream: false, ...extra };
}

type Json = Record<string, unknown>;

/** The fixture's contents without the call ids pydantic-ai added (the gateway sends none). */
function withoutIds(contents: Json[]): Json[] {
  return JSON.parse(JSON.stringify(contents, (key, value: unknown) => (key === 'id' ? undefined : value))) as Json[];
}

describe('canonical request → Gemini generateContent', () => {
  it('text with a system prompt and sampling parameters (AI Studio URL, x-goog-api-key)', async () => {
    const built = await buildChat(
      gemini,
      chat(
        [
          { role: 'system', content: [{ type: 'text', text: 'You are a helpful chatbot.' }] },
          { role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] },
        ],
        { temperature: 0, topP: 0.9, topK: 40, maxOutputTokens: 256, stopSequences: ['END'], seed: 7, presencePenalty: 0.1, frequencyPenalty: 0.2, n: 2 },
      ),
    );
    expect(built).toMatchInlineSnapshot(`
      {
        "body": {
          "contents": [
            {
              "parts": [
                {
                  "text": "What is the capital of France?",
                },
              ],
              "role": "user",
            },
          ],
          "generationConfig": {
            "candidateCount": 2,
            "frequencyPenalty": 0.2,
            "maxOutputTokens": 256,
            "presencePenalty": 0.1,
            "seed": 7,
            "stopSequences": [
              "END",
            ],
            "temperature": 0,
            "topK": 40,
            "topP": 0.9,
          },
          "systemInstruction": {
            "parts": [
              {
                "text": "You are a helpful chatbot.",
              },
            ],
          },
        },
        "headers": {
          "accept": "application/json",
          "content-type": "application/json",
          "x-goog-api-key": "<key>",
        },
        "url": "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
        "warnings": [],
      }
    `);
    const fixture = readFixtureJson<Json>('gemini/stream-text.request.json');
    expect((built.body as Json).contents).toEqual(fixture.contents);
  });

  it('streams go to :streamGenerateContent?alt=sse and accept text/event-stream', async () => {
    const built = await buildChat(gemini, chat([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], { stream: true }));
    expect(built.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(built.headers.accept).toBe('text/event-stream');
  });

  it('multi-turn tool use: calls → model functionCall parts, results → user functionResponse parts named after their call', async () => {
    const fixture = readFixtureJson<Json>('gemini/stream-text-after-function-response.request.json');
    const built = await buildChat(
      gemini,
      chat([
        { role: 'system', content: [{ type: 'text', text: 'You are a helpful chatbot.' }] },
        { role: 'user', content: [{ type: 'text', text: 'What is the temperature of the capital of France?' }] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'call_a', name: 'get_capital', arguments: '{"country":"France"}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_a', content: '{"return_value":"Paris"}' }] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'call_b', name: 'get_temperature', arguments: '{"city":"Paris"}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_b', content: '{"return_value":"30°C"}' }] },
      ], {
        tools: [
          { type: 'function', name: 'get_capital', description: 'Get the capital of a country.', parameters: { type: 'object', properties: { country: { type: 'string', description: 'The country name.' } }, required: ['country'] } },
          { type: 'function', name: 'get_temperature', description: 'Get the temperature in a city.', parameters: { type: 'object', properties: { city: { type: 'string', description: 'The city name.' } }, required: ['city'] } },
        ],
        toolChoice: { type: 'auto' },
      }),
    );
    expect({ url: built.url, headers: built.headers }).toMatchInlineSnapshot(`
      {
        "headers": {
          "accept": "application/json",
          "content-type": "application/json",
          "x-goog-api-key": "<key>",
        },
        "url": "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
      }
    `);
    expect((built.body as Json).contents).toEqual(withoutIds(fixture.contents as Json[]));
    expect((built.body as Json).systemInstruction).toEqual({ parts: [{ text: 'You are a helpful chatbot.' }] });
    expect(built.body).toMatchInlineSnapshot(`
      {
        "contents": [
          {
            "parts": [
              {
                "text": "What is the temperature of the capital of France?",
              },
            ],
            "role": "user",
          },
          {
            "parts": [
              {
                "functionCall": {
                  "args": {
                    "country": "France",
                  },
                  "name": "get_capital",
                },
              },
            ],
            "role": "model",
          },
          {
            "parts": [
              {
                "functionResponse": {
                  "name": "get_capital",
                  "response": {
                    "return_value": "Paris",
                  },
                },
              },
            ],
            "role": "user",
          },
          {
            "parts": [
              {
                "functionCall": {
                  "args": {
                    "city": "Paris",
                  },
                  "name": "get_temperature",
                },
              },
            ],
            "role": "model",
          },
          {
            "parts": [
              {
                "functionResponse": {
                  "name": "get_temperature",
                  "response": {
                    "return_value": "30°C",
                  },
                },
              },
            ],
            "role": "user",
          },
        ],
        "systemInstruction": {
          "parts": [
            {
              "text": "You are a helpful chatbot.",
            },
          ],
        },
        "toolConfig": {
          "functionCallingConfig": {
            "mode": "AUTO",
          },
        },
        "tools": [
          {
            "functionDeclarations": [
              {
                "description": "Get the capital of a country.",
                "name": "get_capital",
                "parametersJsonSchema": {
                  "properties": {
                    "country": {
                      "description": "The country name.",
                      "type": "string",
                    },
                  },
                  "required": [
                    "country",
                  ],
                  "type": "object",
                },
              },
              {
                "description": "Get the temperature in a city.",
                "name": "get_temperature",
                "parametersJsonSchema": {
                  "properties": {
                    "city": {
                      "description": "The city name.",
                      "type": "string",
                    },
                  },
                  "required": [
                    "city",
                  ],
                  "type": "object",
                },
              },
            ],
          },
        ],
      }
    `);
    expect(built.warnings).toEqual([]);
  });

  it('parallel results in one user turn; non-object results under "output", errors under "error"', async () => {
    const built = await buildChat(
      gemini,
      chat([
        { role: 'user', content: [{ type: 'text', text: 'Tell three jokes.' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', id: 't1', name: 'generate_topic', arguments: '{}' },
            { type: 'tool-call', id: 't2', name: 'generate_topic', arguments: '' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: 'cats' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't2', content: 'timeout', isError: true }] },
        { role: 'user', content: [{ type: 'text', text: 'Go on.' }] },
      ]),
    );
    expect((built.body as Json).contents).toMatchInlineSnapshot(`
      [
        {
          "parts": [
            {
              "text": "Tell three jokes.",
            },
          ],
          "role": "user",
        },
        {
          "parts": [
            {
              "functionCall": {
                "args": {},
                "name": "generate_topic",
              },
            },
            {
              "functionCall": {
                "args": {},
                "name": "generate_topic",
              },
            },
          ],
          "role": "model",
        },
        {
          "parts": [
            {
              "functionResponse": {
                "name": "generate_topic",
                "response": {
                  "output": "cats",
                },
              },
            },
            {
              "functionResponse": {
                "name": "generate_topic",
                "response": {
                  "error": "timeout",
                },
              },
            },
            {
              "text": "Go on.",
            },
          ],
          "role": "user",
        },
      ]
    `);
  });

  it('a tool result that matches no call is a 400 naming the message', async () => {
    const request = chat([
      { role: 'user', content: [{ type: 'text', text: 'x' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'nope', content: 'y' }] },
    ]);
    await expect(buildChat(gemini, request)).rejects.toSatisfy((error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'messages[1]');
  });

  it('images and files: base64 → inlineData, URLs (https, gs://, YouTube) and file ids → fileData', async () => {
    const fixture = readFixtureJson<Json>('gemini/image-inline-data-input.request.json');
    const inline = ((fixture.contents as Json[])[0]!.parts as Json[])[1]!.inlineData as { mimeType: string; data: string };
    const messages: Message[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this vegetable?' },
          { type: 'image', source: { kind: 'base64', mediaType: inline.mimeType, data: inline.data } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/photo.PNG?size=large' } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/render' } },
          { type: 'file', source: { kind: 'url', url: 'gs://bucket/report.pdf' }, mediaType: 'application/pdf' },
          { type: 'file', source: { kind: 'url', url: 'https://m.youtube.com/watch?v=lCdaVNyHtjU' } },
          { type: 'file', source: { kind: 'file-id', id: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' }, mediaType: 'audio/mpeg' },
        ],
      },
    ];
    const studio = await buildChat(gemini, chat(messages));
    expect(((studio.body as Json).contents as Json[])[0]!.parts).toEqual([
      (fixture.contents as Array<{ parts: Json[] }>)[0]!.parts[0],
      { inlineData: { mimeType: 'image/jpeg', data: inline.data } },
      { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/photo.PNG?size=large' } },
      { fileData: { fileUri: 'https://example.com/render' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'gs://bucket/report.pdf' } },
      { fileData: { mimeType: 'video/mp4', fileUri: 'https://m.youtube.com/watch?v=lCdaVNyHtjU' } },
      { fileData: { mimeType: 'audio/mpeg', fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' } },
    ]);
    expect(studio.warnings).toEqual([]);
    // Vertex needs a media type for every fileData: the unknown one is defaulted, with a warning.
    const onVertex = await buildChat(vertex, chat(messages));
    expect((((onVertex.body as Json).contents as Json[])[0]!.parts as Json[])[3]).toEqual({ fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/render' } });
    expect(onVertex.warnings).toMatchInlineSnapshot(`
      [
        {
          "code": "lossy-conversion",
          "message": "the media type of image "https://example.com/render" is unknown; provider "vertex" needs one, so "image/jpeg" was sent",
        },
      ]
    `);
  });

  it('tools, tool choice and Gemini built-in tools', async () => {
    const base = chat([{ role: 'user', content: [{ type: 'text', text: 'Weather?' }] }], {
      tools: [
        { type: 'function', name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        { type: 'provider', provider: 'gemini', name: 'googleSearch', spec: { googleSearch: {} } },
        { type: 'provider', provider: 'openai', name: 'web_search', spec: { type: 'web_search' } },
      ],
    });
    const choices = await Promise.all(
      (['auto', 'none', 'required'] as const).map(async (type) => ((await buildChat(gemini, { ...base, toolChoice: { type } })).body as Json).toolConfig),
    );
    const named = await buildChat(gemini, { ...base, toolChoice: { type: 'tool', name: 'weather' } });
    expect([...choices, (named.body as Json).toolConfig]).toEqual([
      { functionCallingConfig: { mode: 'AUTO' } },
      { functionCallingConfig: { mode: 'NONE' } },
      { functionCallingConfig: { mode: 'ANY' } },
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } },
    ]);
    expect((named.body as Json).tools).toMatchInlineSnapshot(`
      [
        {
          "functionDeclarations": [
            {
              "name": "weather",
              "parametersJsonSchema": {
                "properties": {
                  "city": {
                    "type": "string",
                  },
                },
                "type": "object",
              },
            },
          ],
        },
        {
          "googleSearch": {},
        },
      ]
    `);
    expect(named.warnings.map((warning) => warning.message)).toEqual(['the openai tool "web_search" is not available on provider "gemini" and was not sent']);
  });

  it('structured output: JSON schema → responseMimeType + responseJsonSchema', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const built = await buildChat(gemini, chat([{ role: 'user', content: [{ type: 'text', text: 'x' }] }], { responseFormat: { type: 'json-schema', name: 'answer', schema, strict: true } }));
    expect((built.body as Json).generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema });
    const json = await buildChat(gemini, chat([{ role: 'user', content: [{ type: 'text', text: 'x' }] }], { responseFormat: { type: 'json' } }));
    expect((json.body as Json).generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it('reasoning: effort → thinkingBudget on 2.5, thinkingLevel on 3, lossy mappings warned', async () => {
    const user: Message[] = [{ role: 'user', content: [{ type: 'text', text: 'x' }] }];
    const thinking = async (model: string, reasoning: ChatRequest['reasoning']) => {
      const built = await buildChat(gemini, chat(user, { model, reasoning }));
      return [((built.body as Json).generationConfig as Json | undefined)?.thinkingConfig, built.warnings.map((warning) => warning.message)];
    };
    expect(await thinking('gemini-2.5-flash', { effort: 'low', includeThoughts: true })).toEqual([{ includeThoughts: true, thinkingBudget: 1024 }, []]);
    expect(await thinking('gemini-2.5-flash', { effort: 'none' })).toEqual([{ thinkingBudget: 0 }, []]);
    expect(await thinking('gemini-2.5-pro', { effort: 'xhigh' })).toEqual([{ thinkingBudget: 32768 }, []]);
    expect(await thinking('gemini-2.5-flash', { budgetTokens: 5000 })).toEqual([{ thinkingBudget: 5000 }, []]);
    expect(await thinking('gemini-2.5-flash', { enabled: true })).toEqual([{ thinkingBudget: -1 }, []]);
    expect(await thinking('gemini-3-flash-preview', { effort: 'minimal' })).toEqual([{ thinkingLevel: 'minimal' }, []]);
    expect(await thinking('gemini-3-pro-preview', { effort: 'medium' })).toEqual([{ thinkingLevel: 'medium' }, []]);
    expect(await thinking('gemini-3-pro-preview', { effort: 'none' })).toEqual([
      { thinkingLevel: 'low' },
      ['gemini-3-pro-preview cannot turn thinking off; thinkingLevel "low" was sent'],
    ]);
    expect(await thinking('gemini-3-flash-preview', { effort: 'xhigh' })).toEqual([
      { thinkingLevel: 'high' },
      ['gemini-3-flash-preview has no thinking level above "high"; "high" was sent'],
    ]);
  });

  it('parameters Gemini cannot honour become warnings; the client\'s own Gemini options are merged', async () => {
    const built = await buildChat(
      gemini,
      chat(
        [
          { role: 'user', content: [{ type: 'text', text: 'x', cacheControl: { type: 'ephemeral' } }], name: 'alice' },
          { role: 'system', content: [{ type: 'text', text: 'late system' }] },
        ],
        {
          logitBias: { '1': 2 },
          user: 'u-1',
          parallelToolCalls: false,
          serviceTier: 'flex',
          providerOptions: {
            gemini: {
              safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_LOW_AND_ABOVE' }],
              generationConfig: { responseModalities: ['TEXT'] },
            },
            anthropic: { top_k: 3 },
          },
        },
      ),
    );
    expect(built.body).toMatchInlineSnapshot(`
      {
        "contents": [
          {
            "parts": [
              {
                "text": "x",
              },
            ],
            "role": "user",
          },
        ],
        "generationConfig": {
          "responseModalities": [
            "TEXT",
          ],
        },
        "safetySettings": [
          {
            "category": "HARM_CATEGORY_HATE_SPEECH",
            "threshold": "BLOCK_LOW_AND_ABOVE",
          },
        ],
        "systemInstruction": {
          "parts": [
            {
              "text": "late system",
            },
          ],
        },
      }
    `);
    expect(built.warnings.map((warning) => `${warning.code}(${warning.param ?? ''})`)).toMatchInlineSnapshot(`
      [
        "lossy-conversion(messages)",
        "unsupported-parameter(name)",
        "unsupported-parameter(logit_bias)",
        "unsupported-parameter(user)",
        "unsupported-parameter(service_tier)",
        "unsupported-parameter(parallel_tool_calls)",
        "unsupported-parameter(cache_control)",
        "unsupported-parameter(top_k)",
      ]
    `);
  });
});

describe('thought signatures survive a round trip through a client that keeps only ids', () => {
  it('Gemini 3 function call → OpenAI surface → back: the signature returns on the functionCall part', async () => {
    const fixture = readFixtureJson<{ candidates: Array<{ content: { parts: Json[] } }> }>('gemini/tool-call-gemini3.json');
    const signature = fixture.candidates[0]!.content.parts[0]!.thoughtSignature as string;
    const response = decodeGeminiResponse(fixture, { provider: 'gemini', generateId: sequentialIds() });
    // What an OpenAI SDK client receives...
    const openAi = JSON.parse(encodeOpenAiChatResponse(response, { requestId: 'r', model: 'gemini-3-pro-preview' })) as { choices: Array<{ message: Json }> };
    const assistant = openAi.choices[0]!.message;
    const callId = (assistant.tool_calls as Array<{ id: string }>)[0]!.id;
    expect(callId).toBe(`call_1__thought__${signature}`);
    // ...and sends back on the next turn, with its tool result.
    const next = decodeOpenAiChatRequest({
      model: 'gemini-3-pro-preview',
      messages: [
        { role: 'user', content: 'Weather in San Francisco?' },
        assistant,
        { role: 'tool', tool_call_id: callId, content: '{"temperature":18}' },
      ],
    });
    const built = await buildChat(gemini, next.request);
    expect({ url: built.url, headers: built.headers }).toMatchInlineSnapshot(`
      {
        "headers": {
          "accept": "application/json",
          "content-type": "application/json",
          "x-goog-api-key": "<key>",
        },
        "url": "https://generativelanguage.googleapis.com/v1beta/models/gemini-3-pro-preview:generateContent",
      }
    `);
    expect(shorten((built.body as Json).contents)).toMatchInlineSnapshot(`
      [
        {
          "parts": [
            {
              "text": "Weather in San Francisco?",
            },
          ],
          "role": "user",
        },
        {
          "parts": [
            {
              "functionCall": {
                "args": {
                  "location": "San Francisco",
                },
                "name": "weather",
              },
              "thoughtSignature": "Eqo+Cqc+Ab4+9vtgONaaz6qwy6WXdp…Xd7jXzjaGYaE(96)",
            },
          ],
          "role": "model",
        },
        {
          "parts": [
            {
              "functionResponse": {
                "name": "weather",
                "response": {
                  "temperature": 18,
                },
              },
            },
          ],
          "role": "user",
        },
      ]
    `);
    const modelTurn = ((built.body as Json).contents as Json[])[1] as { parts: Json[] };
    expect(modelTurn.parts[0]!.thoughtSignature).toBe(signature);
    expect(built.warnings).toEqual([]);
  });

  it('a signed answer text → OpenAI thinking_blocks → back: the signature returns on the same text part', async () => {
    const fixture = readFixtureJson<{ candidates: Array<{ content: { parts: Json[] } }> }>('gemini/thinking.json');
    const [thought, answer] = fixture.candidates[0]!.content.parts as [Json, Json];
    const response = decodeGeminiResponse(fixture, { provider: 'gemini' });
    const openAi = JSON.parse(encodeOpenAiChatResponse(response, { requestId: 'r', model: 'gemini-3-pro-preview' })) as { choices: Array<{ message: Json }> };
    const next = decodeOpenAiChatRequest({
      model: 'gemini-3-pro-preview',
      messages: [{ role: 'user', content: 'How do I cross the street?' }, openAi.choices[0]!.message, { role: 'user', content: 'Thanks!' }],
    });
    const built = await buildChat(gemini, next.request);
    const modelTurn = ((built.body as Json).contents as Json[])[1] as { parts: Json[] };
    expect(modelTurn.parts).toEqual([
      { text: thought.text, thought: true },
      { text: answer.text, thoughtSignature: answer.thoughtSignature },
    ]);
  });

  it('Gemini 3 calls that lost their signature get Google\'s skip-validator placeholder, with a warning', async () => {
    const built = await buildChat(
      gemini,
      chat(
        [
          { role: 'user', content: [{ type: 'text', text: 'x' }] },
          { role: 'assistant', content: [{ type: 'tool-call', id: 'toolu_01', name: 'lookup', arguments: '{"q":1}' }, { type: 'tool-call', id: 'toolu_02', name: 'lookup', arguments: '{"q":2}' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_01', content: 'a' }, { type: 'tool-result', toolCallId: 'toolu_02', content: 'b' }] },
        ],
        { model: 'gemini-3-flash-preview' },
      ),
    );
    expect((((built.body as Json).contents as Json[])[1] as { parts: Json[] }).parts).toEqual([
      { functionCall: { name: 'lookup', args: { q: 1 } }, thoughtSignature: 'skip_thought_signature_validator' },
      { functionCall: { name: 'lookup', args: { q: 2 } } },
    ]);
    expect(built.warnings.map((warning) => warning.code)).toEqual(['lossy-conversion']);
  });
});

describe('Vertex AI requests', () => {
  it('regional host, project/location path, bearer token', async () => {
    const built = await buildChat(vertex, chat([{ role: 'user', content: [{ type: 'text', text: 'Reply with exactly: OK' }] }], { model: 'gemini-3-flash-preview', stream: true }));
    expect(built.url).toBe('https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-3-flash-preview:streamGenerateContent?alt=sse');
    expect(built.headers.authorization).toBe('Bearer <token>');
    expect(built.body).toEqual({ contents: readFixtureJson<Json>('gemini/vertex-stream-flex-tier.request.json').contents });
  });

  it('global region uses aiplatform.googleapis.com; full resource names are kept; unsafe model names are refused', async () => {
    const global = makeProvider('vertex', { project: 'p', keys: [{ value: 't' }] });
    expect((await buildChat(global, chat([{ role: 'user', content: [{ type: 'text', text: 'x' }] }]))).url).toBe(
      'https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-flash:generateContent',
    );
    expect((await buildChat(global, chat([{ role: 'user', content: [{ type: 'text', text: 'x' }] }]), 'projects/p/locations/global/endpoints/123')).url).toBe(
      'https://aiplatform.googleapis.com/v1/projects/p/locations/global/endpoints/123:generateContent',
    );
    for (const bad of ['../x', 'gemini?key=1', 'a/../../b', 'gemini-2.5-flash:countTokens']) {
      await expect(buildChat(global, chat([{ role: 'user', content: [{ type: 'text', text: 'x' }] }]), bad)).rejects.toThrow(/not a valid Gemini model name/);
    }
  });
});
