import { isRecord } from '../../json/parse-json.js';

type Json = Record<string, unknown>;

const NESTED_SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];
const NESTED_SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];

/**
 * Gemini's OpenAPI-style Schema (function `parameters`, `responseSchema`: upper-case types,
 * `nullable`, `propertyOrdering`) → JSON Schema, for providers that take JSON Schema. Types are
 * lower-cased, `nullable: true` becomes a "null" type, Gemini-only keywords are dropped; the
 * original stays with the request so Gemini providers receive it unchanged.
 * https://ai.google.dev/api/caching#Schema
 */
export function convertGeminiSchema(schema: unknown): Json {
  if (!isRecord(schema)) return {};
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'propertyOrdering') continue;
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'items') out.items = convertGeminiSchema(value);
    else if (NESTED_SCHEMA_MAPS.includes(key) && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, convertGeminiSchema(child)]));
    } else if (NESTED_SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map(convertGeminiSchema);
    } else if (key === 'example') out.examples = [value];
    else out[key] = value;
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...(out.anyOf as Json[]), { type: 'null' }];
  }
  return out;
}
