import { describe, expect, it } from 'vitest';
import { decodeToolCallId, encodeToolCallId, newToolCallId } from '../../../../src/providers/gemini/thought-signature-tool-call-id.js';

describe('thought signatures in tool call ids (LiteLLM convention)', () => {
  it('round-trips any signature, including base64 "+/=" characters', () => {
    const signature = 'Eqo+Cqc+Ab4+9vtg/ONaaz6q==';
    const id = encodeToolCallId('call_abc', signature);
    expect(id).toBe('call_abc__thought__Eqo+Cqc+Ab4+9vtg/ONaaz6q==');
    expect(decodeToolCallId(id)).toEqual({ baseId: 'call_abc', signature });
  });

  it('ids without a signature pass unchanged', () => {
    expect(encodeToolCallId('toolu_01', undefined)).toBe('toolu_01');
    expect(decodeToolCallId('toolu_01')).toEqual({ baseId: 'toolu_01' });
    expect(decodeToolCallId('call_x__thought__')).toEqual({ baseId: 'call_x' });
  });

  it('generated ids are unique and contain no separator', () => {
    const ids = new Set(Array.from({ length: 1000 }, newToolCallId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^call_[A-Za-z0-9]+$/);
  });
});
