import { isRecord } from '../../json/parse-json.js';

type Json = Record<string, unknown>;

/**
 * The Gemini REST API accepts proto field names in camelCase and snake_case alike
 * (`inlineData` / `inline_data`, `thinkingConfig` / `thinking_config`), and clients send both
 * (the Python SDK writes snake_case). Structural objects are read through this: keys are
 * camel-cased one level deep; values (arguments, schemas, responses) are left alone.
 */
export function camelFields(value: Record<string, unknown>): Json {
  let out: Json | undefined;
  for (const key of Object.keys(value)) {
    if (!key.includes('_')) continue;
    out ??= { ...value };
    const camel = key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
    if (out[camel] === undefined) out[camel] = value[key];
    delete out[key];
  }
  return out ?? value;
}

/** A structural sub-object, camel-cased, or undefined. */
export function objectField(value: unknown): Json | undefined {
  return isRecord(value) ? camelFields(value) : undefined;
}
