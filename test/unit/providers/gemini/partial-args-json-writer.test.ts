import { describe, expect, it } from 'vitest';
import { parseJsonPath, PartialArgsJsonWriter } from '../../../../src/providers/gemini/partial-args-json-writer.js';

describe('PartialArgsJsonWriter (Vertex streamFunctionCallArguments)', () => {
  it('parses JSON paths', () => {
    expect(parseJsonPath('$.recipe.items[0].name')).toEqual(['recipe', 'items', 0, 'name']);
    expect(parseJsonPath("$['odd.key'][2]")).toEqual(['odd.key', 2]);
    expect(parseJsonPath('recipe')).toBeUndefined();
  });

  it('streams nested objects and arrays in document order; deltas add up to the arguments', () => {
    const writer = new PartialArgsJsonWriter();
    const deltas = [
      writer.push([{ jsonPath: '$.recipe.name', stringValue: 'Lasa', willContinue: true }]),
      writer.push([{ jsonPath: '$.recipe.name', stringValue: 'gna "al forno"' }]),
      writer.push([{ jsonPath: '$.recipe.items[0].qty', numberValue: 2 }, { jsonPath: '$.recipe.items[0].vegan', boolValue: false }]),
      writer.push([{ jsonPath: '$.recipe.items[1].qty', nullValue: null }]),
      writer.push([{ jsonPath: '$.servings', numberValue: 4 }]),
    ];
    const { delta, json } = writer.finish();
    expect([...deltas, delta]).toMatchInlineSnapshot(`
      [
        "{"recipe":{"name":"Lasa",
        "gna \\"al forno\\""",
        ","items":[{"qty":2,"vegan":false",
        "},{"qty":null",
        "}]},"servings":4",
        "}",
      ]
    `);
    expect(deltas.join('') + delta).toBe(json);
    expect(JSON.parse(json)).toEqual({ recipe: { name: 'Lasagna "al forno"', items: [{ qty: 2, vegan: false }, { qty: null }] }, servings: 4 });
  });

  it('a call without arguments is {}', () => {
    expect(new PartialArgsJsonWriter().finish()).toEqual({ delta: '{}', json: '{}' });
  });

  it('out-of-order fragments stop the deltas but the final arguments are complete', () => {
    const writer = new PartialArgsJsonWriter();
    writer.push([{ jsonPath: '$.a.x', numberValue: 1 }]);
    writer.push([{ jsonPath: '$.b', numberValue: 2 }]);
    expect(writer.push([{ jsonPath: '$.a.y', numberValue: 3 }])).toBe('');
    expect(JSON.parse(writer.finish().json)).toEqual({ a: { x: 1, y: 3 }, b: 2 });
  });

  it('keys like __proto__ are plain data', () => {
    const writer = new PartialArgsJsonWriter();
    writer.push([{ jsonPath: '$.__proto__.polluted', boolValue: true }]);
    expect(JSON.parse(writer.finish().json)).toEqual(JSON.parse('{"__proto__":{"polluted":true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
