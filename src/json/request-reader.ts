import { invalidRequest } from '../core/errors.js';
import { isRecord } from './parse-json.js';

/**
 * Typed readers for untrusted request JSON. Each takes the value and the path of the field in
 * the client's naming ("messages[2].content"), and throws a 400 invalid_request naming that path.
 * Surfaces use them to validate while they decode, in one pass.
 */

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function fail(path: string, expected: string, value: unknown): never {
  throw invalidRequest(`Invalid type for '${path}': expected ${expected}, but got ${typeName(value)}.`, path);
}

export function readObject(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) fail(path, 'an object', value);
  return value;
}

export function readArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

export function readString(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string', value);
  return value;
}

export function readNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a number', value);
  return value;
}

export function readInteger(value: unknown, path: string, min?: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, 'an integer', value);
  if (min !== undefined && value < min) {
    throw invalidRequest(`Invalid value for '${path}': expected an integer >= ${min}, but got ${value}.`, path);
  }
  return value;
}

export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'a boolean', value);
  return value;
}

/** Optional variants: undefined and null both mean "absent". */
export function optString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : readString(value, path);
}
export function optNumber(value: unknown, path: string): number | undefined {
  return value === undefined || value === null ? undefined : readNumber(value, path);
}
export function optInteger(value: unknown, path: string, min?: number): number | undefined {
  return value === undefined || value === null ? undefined : readInteger(value, path, min);
}
export function optBoolean(value: unknown, path: string): boolean | undefined {
  return value === undefined || value === null ? undefined : readBoolean(value, path);
}

export function readEnum<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidRequest(
      `Invalid value for '${path}': expected one of ${allowed.map((v) => `'${v}'`).join(', ')}, but got ${
        typeof value === 'string' ? `'${value}'` : typeName(value)
      }.`,
      path,
    );
  }
  return value as T;
}

export function requireField(body: Record<string, unknown>, key: string, path: string): unknown {
  const value = body[key];
  if (value === undefined || value === null) {
    throw invalidRequest(`Missing required parameter: '${path}'.`, path);
  }
  return value;
}

/** A string or an array of strings (e.g. `stop`), normalised to an array. */
export function optStringList(value: unknown, path: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  const list = readArray(value, path);
  return list.map((item, index) => readString(item, `${path}[${index}]`));
}

/** Collect the keys of `body` not in `known`, for providerOptions passthrough. */
export function unknownFields(
  body: Record<string, unknown>,
  known: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const key in body) {
    if (known.has(key)) continue;
    (extra ??= {})[key] = body[key];
  }
  return extra;
}
