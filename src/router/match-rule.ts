import type { RequestContext } from '../pipeline/request-context.js';
import { matchesAnyPattern } from '../providers/shared/match-model-pattern.js';
import { requestMetadata } from './request-metadata.js';

/** A rule's conditions, normalised to lists of patterns ("*" wildcards). */
export interface RuleConditions {
  model?: string[];
  headers?: Array<[string, string[]]>;
  metadata?: Array<[string, string[]]>;
  virtualKey?: string[];
}

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

export function normaliseConditions(when: {
  model?: string | string[];
  headers?: Record<string, string | string[]>;
  metadata?: Record<string, string | string[]>;
  virtualKey?: string | string[];
}): RuleConditions {
  const out: RuleConditions = {};
  if (when.model !== undefined) out.model = list(when.model);
  if (when.headers !== undefined) out.headers = Object.entries(when.headers).map(([name, value]) => [name.toLowerCase(), list(value)]);
  if (when.metadata !== undefined) out.metadata = Object.entries(when.metadata).map(([name, value]) => [name, list(value)]);
  if (when.virtualKey !== undefined) out.virtualKey = list(when.virtualKey);
  return out;
}

function headerValue(context: RequestContext, name: string): string | undefined {
  const value = context.request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Every given condition must hold; within one, any pattern may match. The virtual key matches
 * by name or id, read from the record's principal (filled by governance when it authenticates).
 */
export function ruleMatches(conditions: RuleConditions, model: string, context: RequestContext): boolean {
  if (conditions.model !== undefined && !matchesAnyPattern(conditions.model, model)) return false;
  if (conditions.headers !== undefined) {
    for (const [name, patterns] of conditions.headers) {
      const value = headerValue(context, name);
      if (value === undefined || !matchesAnyPattern(patterns, value)) return false;
    }
  }
  if (conditions.metadata !== undefined) {
    const metadata = requestMetadata(context);
    for (const [name, patterns] of conditions.metadata) {
      const value = metadata[name];
      if (value === undefined || !matchesAnyPattern(patterns, value)) return false;
    }
  }
  if (conditions.virtualKey !== undefined) {
    const principal = context.record.principal;
    const name = principal?.virtualKeyName;
    const id = principal?.virtualKeyId;
    const matched = (name !== undefined && matchesAnyPattern(conditions.virtualKey, name)) || (id !== undefined && matchesAnyPattern(conditions.virtualKey, id));
    if (!matched) return false;
  }
  return true;
}
