import type { RequestContext } from '../pipeline/request-context.js';
import { matchModelPattern } from '../providers/shared/match-model-pattern.js';
import { fallbackError, type RoutingTable } from './compile-routes.js';
import { ruleMatches } from './match-rule.js';
import type { ProviderRegistry } from './provider-registry.js';
import { resolveModel } from './resolve-model.js';
import { targetId, type Target, type TargetGroup } from './target.js';

/** Fallbacks from the request: the `fallbacks` body field and the x-switchyard-fallbacks header. */
export function requestedFallbacks(context: RequestContext): string[] {
  const fromBody = context.directives.fallbacks ?? [];
  const header = context.request.headers['x-switchyard-fallbacks'];
  const fromHeader =
    typeof header === 'string' && header.trim() !== ''
      ? header
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : [];
  return fromHeader.length === 0 ? fromBody : [...fromBody, ...fromHeader];
}

/**
 * The ordered targets for a request:
 *  1. the first routing rule whose conditions hold (its targets, or the requested model's with
 *     the rule's options), else the alias of that name, else the model resolved directly;
 *  2. then fallbacks, in this order: the request's own (body, then header), the rule's, the
 *     alias's, and routing.fallbacks entries whose pattern matches the requested model.
 * A fallback whose targets are all already in the plan is left out.
 */
export function planRequest(model: string, context: RequestContext, table: RoutingTable, registry: ProviderRegistry): Target[] {
  let rule = undefined;
  for (const candidate of table.rules) {
    if (ruleMatches(candidate.conditions, model, context)) {
      rule = candidate;
      break;
    }
  }
  const alias = table.aliases.get(model);
  let primary: Target[];
  if (rule?.route !== undefined) primary = rule.route.targets;
  else if (alias !== undefined) primary = alias.targets;
  else primary = [resolveModel(model, registry)];
  if (rule !== undefined && rule.route === undefined && rule.overrides !== undefined) {
    const group: TargetGroup = { ...primary[0]?.group, name: rule.name, ...rule.overrides };
    primary = primary.map((target) => ({ ...target, reason: `rule ${rule.name}`, group }));
  }

  const groups: Target[][] = [];
  for (const fallback of requestedFallbacks(context)) {
    try {
      groups.push(table.fallbackGroup(fallback, false));
    } catch (error) {
      throw fallbackError(fallback, error);
    }
  }
  if (rule !== undefined) groups.push(...rule.fallbacks);
  if (rule?.route === undefined && alias !== undefined) groups.push(...alias.fallbacks);
  for (const entry of table.fallbacks) {
    if (matchModelPattern(entry.pattern, model)) groups.push(...entry.groups);
  }
  if (groups.length === 0) return primary;
  const seen = new Set(primary.map(targetId));
  const plan = [...primary];
  for (const group of groups) {
    if (group.every((target) => seen.has(targetId(target)))) continue;
    for (const target of group) seen.add(targetId(target));
    plan.push(...group);
  }
  return plan;
}
