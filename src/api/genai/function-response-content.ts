import { tryParseJson } from '../../json/parse-json.js';

/**
 * A `functionResponse.response` object as canonical tool result text. Google documents two keys:
 * "output" for a function's result and "error" for its failure; a response holding only one of
 * them with a plain value (text, number, boolean) is that value, so "15 degrees" sent as
 * `{"output": "15 degrees"}` reaches an OpenAI or Anthropic model as "15 degrees", not as JSON
 * around it. This is the inverse of what the Gemini provider sends for a result
 * (`functionResponseBody`), so a GenAI client's response reaches Gemini unchanged. Anything else
 * (several keys, nested values, text that is itself JSON) is sent as its JSON text.
 */
export function functionResponseContent(response: Record<string, unknown>): { text: string; isError: boolean } {
  const keys = Object.keys(response);
  if (keys.length === 1 && (keys[0] === 'output' || keys[0] === 'error')) {
    const value = response[keys[0]];
    // Text that parses as JSON stays wrapped: the Gemini provider would send it back parsed.
    const plain = typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && tryParseJson(value) === undefined);
    if (plain) return { text: String(value), isError: keys[0] === 'error' };
  }
  return { text: JSON.stringify(response), isError: false };
}
