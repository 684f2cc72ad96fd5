const cache = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  let regexp = cache.get(pattern);
  if (regexp === undefined) {
    const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    regexp = new RegExp(`^${escaped}$`);
    cache.set(pattern, regexp);
  }
  return regexp;
}

/** Match a model name against a pattern where "*" stands for any run of characters. */
export function matchModelPattern(pattern: string, model: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === model;
  return toRegExp(pattern).test(model);
}

export function matchesAnyPattern(patterns: readonly string[], model: string): boolean {
  for (const pattern of patterns) if (matchModelPattern(pattern, model)) return true;
  return false;
}
