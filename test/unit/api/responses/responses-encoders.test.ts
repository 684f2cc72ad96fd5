import { describe, expect, it } from 'vitest';
import { decodeResponsesInput } from '../../../../src/api/responses/decode-responses-input.js';
import { decodeResponsesRequest } from '../../../../src/api/responses/decode-responses-request.js';
import { encodeOutputItems } from '../../../../src/api/responses/encode-responses-output.js';
import { ResponsesStreamEncoder } from '../../../../src/api/responses/responses-stream-encoder.js';
import { GatewayError, type AssistantContentPart, type StreamEvent } from '../../../../src/core/index.js';

function events(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      const data = JSON.parse(dataLine!.slice(6)) as Record<string, unknown>;
      expect(eventLine).toBe(`event: ${String(data.type)}`);
      return data;
    });
}

/** Event skeletons: type and the numbering fields, ids replaced by their prefix. */
function skeleton(list: Array<Record<string, unknown>>): string[] {
  return list.map((event) => {
    const parts = [String(event.sequence_number), String(event.type)];
    for (const key of ['output_index', 'content_index', 'summary_index', 'annotation_index']) if (event[key] !== undefined) parts.push(`${key}=${String(event[key])}`);
    if (typeof event.item_id === 'string') parts.push(`item=${event.item_id.split('_')[0]}`);
    if (typeof event.delta === 'string') parts.push(JSON.stringify(event.delta));
    return parts.join(' ');
  });
}

const info = decodeResponsesRequest({ model: 'any/model', input: 'hi', include: ['reasoning.encrypted_content'] }).responses;

describe('Responses stream encoder', () => {
  it('numbers every event and nests items, parts and deltas as the API does', () => {
    const encoder = new ResponsesStreamEncoder(info, { requestId: 'req-1', model: 'any/model' });
    const input: StreamEvent[] = [
      { type: 'response-metadata', id: 'msg_anthropic_1', model: 'claude-sonnet-4-5', created: 1700000000 },
      { type: 'reasoning-start', id: 'r0' },
      { type: 'reasoning-delta', id: 'r0', delta: 'Let me think.' },
      { type: 'reasoning-signature', id: 'r0', signature: 'sig-abc' },
      { type: 'reasoning-end', id: 'r0' },
      { type: 'text-start', id: 't1' },
      { type: 'text-delta', id: 't1', delta: 'Checking ' },
      { type: 'citation', id: 't1', citation: { type: 'url', url: 'https://example.com', title: 'Example', startIndex: 0, endIndex: 8 } },
      { type: 'text-delta', id: 't1', delta: 'now.' },
      { type: 'text-end', id: 't1' },
      { type: 'tool-input-start', id: 'toolu_1', name: 'weather' },
      { type: 'tool-input-delta', id: 'toolu_1', delta: '{"city":' },
      { type: 'tool-input-delta', id: 'toolu_1', delta: '"Paris"}' },
      { type: 'tool-input-end', id: 'toolu_1' },
      { type: 'tool-call', id: 'toolu_1', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' } },
      { type: 'usage', usage: { inputTokens: 20, outputTokens: 10, cacheReadTokens: 5 } },
    ];
    let out = '';
    for (const event of input) out += encoder.encode(event);
    out += encoder.end();
    const list = events(out);
    expect(skeleton(list)).toMatchInlineSnapshot(`
      [
        "0 response.created",
        "1 response.in_progress",
        "2 response.output_item.added output_index=0",
        "3 response.reasoning_summary_part.added output_index=0 summary_index=0 item=rs",
        "4 response.reasoning_summary_text.delta output_index=0 summary_index=0 item=rs "Let me think."",
        "5 response.reasoning_summary_text.done output_index=0 summary_index=0 item=rs",
        "6 response.reasoning_summary_part.done output_index=0 summary_index=0 item=rs",
        "7 response.output_item.done output_index=0",
        "8 response.output_item.added output_index=1",
        "9 response.content_part.added output_index=1 content_index=0 item=msg",
        "10 response.output_text.delta output_index=1 content_index=0 item=msg "Checking "",
        "11 response.output_text.annotation.added output_index=1 content_index=0 annotation_index=0 item=msg",
        "12 response.output_text.delta output_index=1 content_index=0 item=msg "now."",
        "13 response.output_text.done output_index=1 content_index=0 item=msg",
        "14 response.content_part.done output_index=1 content_index=0 item=msg",
        "15 response.output_item.done output_index=1",
        "16 response.output_item.added output_index=2",
        "17 response.function_call_arguments.delta output_index=2 item=fc "{\\"city\\":"",
        "18 response.function_call_arguments.delta output_index=2 item=fc "\\"Paris\\"}"",
        "19 response.function_call_arguments.done output_index=2 item=fc",
        "20 response.output_item.done output_index=2",
        "21 response.completed",
      ]
    `);
    const completed = list.at(-1)!.response as Record<string, unknown>;
    expect(completed).toMatchObject({ status: 'completed', model: 'claude-sonnet-4-5', created_at: 1700000000, usage: { input_tokens: 20, input_tokens_details: { cached_tokens: 5 }, output_tokens: 10, total_tokens: 30 } });
    expect((completed.id as string).startsWith('resp_')).toBe(true);
    const output = completed.output as Array<Record<string, unknown>>;
    expect(output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(output[1]!.content).toEqual([{ type: 'output_text', annotations: [{ type: 'url_citation', url: 'https://example.com', title: 'Example', start_index: 0, end_index: 8 }], logprobs: [], text: 'Checking now.' }]);
    expect(output[2]).toMatchObject({ type: 'function_call', call_id: 'toolu_1', name: 'weather', arguments: '{"city":"Paris"}', status: 'completed' });
    // Anthropic's signature travels in encrypted_content and comes back on input.
    const reasoning = output[0]!;
    expect(reasoning.encrypted_content).toMatch(/^swyd1\./);
    const back = decodeResponsesInput([reasoning]).messages[0]!;
    expect(back).toEqual({ role: 'assistant', content: [{ type: 'reasoning', text: 'Let me think.', signature: 'sig-abc' }] });
  });

  it('a failure after the start: an error event, then response.failed', () => {
    const encoder = new ResponsesStreamEncoder(info, { requestId: 'req-2', model: 'gpt-4o' });
    let out = encoder.encode({ type: 'text-start', id: 't' }) + encoder.encode({ type: 'text-delta', id: 't', delta: 'Hel' });
    out += encoder.error(new GatewayError({ code: 'upstream_overloaded', status: 529, retryable: true, message: 'Overloaded', upstream: { type: 'overloaded_error' } }));
    const list = events(out);
    expect(list.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'error',
      'response.failed',
    ]);
    // Another family's error type (Anthropic's overloaded_error) is not an OpenAI word.
    expect(list[5]).toMatchObject({ code: 'upstream_overloaded', message: 'Overloaded', error: { type: 'server_error', message: 'Overloaded' } });
    expect(list[6]!.response).toMatchObject({ status: 'failed', error: { code: 'upstream_overloaded', message: 'Overloaded' } });
  });

  it('length and content-filter finishes make incomplete responses', () => {
    const encoder = new ResponsesStreamEncoder(info, { requestId: 'req-3', model: 'gpt-4o' });
    encoder.encode({ type: 'finish', finishReason: { unified: 'content-filter', raw: 'content_filter' } });
    const last = events(encoder.end()).at(-1)!;
    expect(last.type).toBe('response.incomplete');
    expect(last.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
  });
});

describe('Responses input decoding', () => {
  it('joins assistant-side items into one assistant message and keeps opaque items in place', () => {
    const decoded = decodeResponsesInput([
      { role: 'user', content: 'Search and compute.' },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'a' }, { type: 'summary_text', text: 'b' }], encrypted_content: 'gAAA' },
      { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'x' } },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Found it.', annotations: [] }] },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'calc', arguments: '{}' },
      { type: 'function_call', id: 'fc_2', call_id: 'call_2', name: 'calc', arguments: '{"a":1}' },
      { type: 'function_call_output', call_id: 'call_1', output: '1' },
      { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: '2' }] },
      { type: 'item_reference', id: 'msg_9' },
    ]);
    expect(decoded.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Search and compute.' }] },
      { role: 'assistant', content: [{ type: 'reasoning', text: 'a\n\nb', redactedData: 'gAAA', providerMetadata: { 'openai-responses': { itemId: 'rs_1' } } }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Found it.' },
          { type: 'tool-call', id: 'call_1', name: 'calc', arguments: '{}', providerMetadata: { 'openai-responses': { itemId: 'fc_1' } } },
          { type: 'tool-call', id: 'call_2', name: 'calc', arguments: '{"a":1}', providerMetadata: { 'openai-responses': { itemId: 'fc_2' } } },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'call_1', content: '1' },
          { type: 'tool-result', toolCallId: 'call_2', content: [{ type: 'text', text: '2' }] },
        ],
      },
    ]);
    expect(decoded.opaqueItems).toEqual([
      { position: 2, item: { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'x' } } },
      { position: 4, item: { type: 'item_reference', id: 'msg_9' } },
    ]);
  });

  it('encodes canonical parts back into items with built-in items at their places', () => {
    const content: AssistantContentPart[] = [
      { type: 'reasoning', text: '', redactedData: 'gAAA', providerMetadata: { 'openai-responses': { itemId: 'rs_1' } } },
      { type: 'text', text: 'Sunny.' },
    ];
    const output = encodeOutputItems(content, { includeEncrypted: false, builtinItems: [{ outputIndex: 1, item: { id: 'ws_1', type: 'web_search_call', status: 'completed' } }] });
    expect(output.map((item) => item.type)).toEqual(['reasoning', 'web_search_call', 'message']);
    expect(output[0]).toEqual({ id: 'rs_1', type: 'reasoning', summary: [] });
  });
});
