import { describe, expect, it } from 'vitest';
import { patchJsonMembers } from '../../../src/json/patch-json-members.js';

const patch = (text: string, set: Record<string, string>, remove: string[] = []) =>
  patchJsonMembers(Buffer.from(text), set, remove)?.toString();

describe('patchJsonMembers', () => {
  it('replaces only the named top-level member and keeps every other byte', () => {
    const body = '{"model" : "openai/gpt-4o",\n "messages":[{"role":"user","content":"say \\"model\\": x"}], "n":1}';
    expect(patch(body, { model: '"gpt-4o"' })).toBe('{"model":"gpt-4o","messages":[{"role":"user","content":"say \\"model\\": x"}],"n":1}');
  });

  it('returns the very same buffer when nothing changes', () => {
    const source = Buffer.from('{"model":"gpt-4o","stream":true}');
    expect(patchJsonMembers(source, { model: '"gpt-4o"' })).toBe(source);
  });

  it('appends missing members and removes gateway-only ones', () => {
    expect(patch('{"model":"a","fallbacks":["b","c"],"stream":true}', { stream_options: '{"include_usage":true}' }, ['fallbacks'])).toBe(
      '{"model":"a","stream":true,"stream_options":{"include_usage":true}}',
    );
  });

  it('ignores nested members with the same name and handles escapes, nesting and literals', () => {
    const body = '{"metadata":{"model":"keep"},"x":[1,{"y":"}]"},null],"model":"old","z":-1.5e3,"t":true}';
    const out = patch(body, { model: '"new"' })!;
    expect(JSON.parse(out)).toEqual({ metadata: { model: 'keep' }, x: [1, { y: '}]' }, null], model: 'new', z: -1500, t: true });
  });

  it('handles escaped keys and backslashes before quotes', () => {
    const body = '{"a\\\\":"\\\\","mod\\u0065l":"x"}';
    expect(JSON.parse(patch(body, { model: '"y"' })!)).toEqual({ 'a\\': '\\', model: 'y' });
  });

  it('refuses a non-object', () => {
    expect(patchJsonMembers(Buffer.from('[1,2]'), { model: '"x"' })).toBeUndefined();
  });
});
