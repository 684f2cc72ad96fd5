import { describe, expect, it } from 'vitest';
import { functionResponseContent } from '../../../../src/api/genai/function-response-content.js';
import { convertToGeminiContents } from '../../../../src/providers/gemini/convert-to-gemini-contents.js';

describe('functionResponseContent', () => {
  it('unwraps a lone plain "output" or "error"', () => {
    expect(functionResponseContent({ output: '15 degrees and sunny' })).toEqual({ text: '15 degrees and sunny', isError: false });
    expect(functionResponseContent({ output: 42 })).toEqual({ text: '42', isError: false });
    expect(functionResponseContent({ error: 'not found' })).toEqual({ text: 'not found', isError: true });
  });

  it('keeps everything else as the JSON the client sent', () => {
    expect(functionResponseContent({ temp: 20 }).text).toBe('{"temp":20}');
    expect(functionResponseContent({ output: 'x', note: 'y' }).text).toBe('{"output":"x","note":"y"}');
    expect(functionResponseContent({ output: { temp: 20 } }).text).toBe('{"output":{"temp":20}}');
    expect(functionResponseContent({ output: '[1,2]' }).text).toBe('{"output":"[1,2]"}');
  });

  it('is undone by the Gemini provider: every response reaches Gemini as the client wrote it', () => {
    const responses = [{ output: '15 degrees and sunny' }, { output: 42 }, { output: true }, { error: 'not found' }, { temp: 20 }, { output: 'x', note: 'y' }, { output: { temp: 20 } }, { output: '[1,2]' }, { output: '"quoted"' }];
    for (const response of responses) {
      const { text, isError } = functionResponseContent(response);
      const { contents } = convertToGeminiContents(
        [
          { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', name: 'f', content: text, ...(isError ? { isError } : {}) }] },
        ],
        { model: 'gemini-2.5-flash', requireMimeType: false, providerName: 'gemini' },
        [],
      );
      expect(contents[1]!.parts![0]!.functionResponse).toEqual({ name: 'f', response });
    }
  });
});
