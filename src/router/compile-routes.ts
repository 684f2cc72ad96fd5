import type { z } from 'zod';
import type { ConfigIssue } from '../config/resolve-env-references.js';
import type { routingSchema } from '../config/schema.js';
import { GatewayError } from '../core/index.js';
import { normaliseConditions, type RuleConditions } from './match-rule.js';
import type { ProviderRegistry } from './provider-registry.js';
import { resolveModel } from './resolve-model.js';
import { targetId, type BalanceStrategy, type Target, type TargetGroup } from './target.js';

export type RoutingConfig = z.output<typeof routingSchema>;

type TargetInput = string | { model: string; weight: number };

interface RouteInput {
  targets?: TargetInput[];
  strategy?: BalanceStrategy;
  fallbacks?: string[];
  hedging?: { enabled: boolean; after: number };
  deadline?: number;
}

/** An alias or rule, compiled: its group of targets and its fallback groups. */
export interface CompiledRoute {
  name: string;
  targets: Target[];
  fallbacks: Target[][];
}

export interface CompiledRule {
  name: string;
  conditions: RuleConditions;
  /** The rule's own targets; absent when it only adds fallbacks or options to what was asked. */
  route?: CompiledRoute;
  /** Options applied to the requested model's own targets when the rule has none. */
  overrides?: Pick<TargetGroup, 'strategy' | 'hedgeAfterMs' | 'deadlineMs'>;
  fallbacks: Target[][];
}

const MAX_DEPTH = 8;

/** The string forms of an alias definition, as an object. */
function routeInput(value: string | TargetInput[] | RouteInput): RouteInput {
  if (typeof value === 'string') return { targets: [value] };
  if (Array.isArray(value)) return { targets: value };
  return value;
}

function hedgeOption(input: RouteInput): Pick<TargetGroup, 'hedgeAfterMs'> {
  if (input.hedging === undefined) return {};
  return { hedgeAfterMs: input.hedging.enabled ? input.hedging.after : null };
}

/**
 * The routing section compiled against the configured providers: aliases and rules become
 * groups of resolved targets (aliases may name other aliases; weights multiply), fallback lists
 * become groups. Problems are collected as config issues with the path of the bad entry.
 */
export class RoutingTable {
  readonly aliases = new Map<string, CompiledRoute>();
  readonly rules: CompiledRule[] = [];
  readonly fallbacks: Array<{ pattern: string; groups: Target[][] }> = [];
  readonly issues: ConfigIssue[] = [];
  private readonly config: RoutingConfig;
  private readonly registry: ProviderRegistry;
  private readonly inputs = new Map<string, RouteInput>();
  private readonly compiling = new Set<string>();
  private readonly fallbackMemo = new Map<string, Target[]>();

  constructor(config: RoutingConfig, registry: ProviderRegistry) {
    this.config = config;
    this.registry = registry;
    for (const [name, value] of Object.entries(config.aliases)) this.inputs.set(name, routeInput(value as string | TargetInput[] | RouteInput));
    for (const name of this.inputs.keys()) this.collect(['routing', 'aliases', name], () => this.alias(name));
    config.rules.forEach((rule, index) => this.collect(['routing', 'rules', index], () => this.rules.push(this.rule(rule, index))));
    for (const [pattern, list] of Object.entries(config.fallbacks)) {
      this.collect(['routing', 'fallbacks', pattern], () => this.fallbacks.push({ pattern, groups: list.map((name) => this.fallbackGroup(name)) }));
    }
  }

  private collect(path: Array<string | number>, compile: () => void): void {
    try {
      compile();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.issues.push({ path: path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join(''), message });
    }
  }

  /** The compiled alias, compiling it (and the aliases it names) on first use. */
  alias(name: string): CompiledRoute {
    const done = this.aliases.get(name);
    if (done !== undefined) return done;
    const input = this.inputs.get(name)!;
    if (this.compiling.has(name)) throw new Error(`aliases refer to each other in a cycle (${[...this.compiling, name].join(' → ')})`);
    this.compiling.add(name);
    try {
      const route = this.route(name, input, `route ${name}`);
      this.aliases.set(name, route);
      return route;
    } finally {
      this.compiling.delete(name);
    }
  }

  private route(name: string, input: RouteInput, reason: string): CompiledRoute {
    const group: TargetGroup = {
      name,
      strategy: input.strategy ?? this.config.strategy,
      ...hedgeOption(input),
      ...(input.deadline === undefined ? {} : { deadlineMs: input.deadline }),
    };
    const targets = this.expandAll(input.targets ?? [], 0).map((target) => ({ ...target, reason, group }));
    return { name, targets, fallbacks: (input.fallbacks ?? []).map((fallback) => this.fallbackGroup(fallback)) };
  }

  private rule(rule: RoutingConfig['rules'][number], index: number): CompiledRule {
    const name = rule.name ?? `rule ${index + 1}`;
    const input: RouteInput = rule;
    const compiled: CompiledRule = {
      name,
      conditions: normaliseConditions(rule.when),
      fallbacks: (rule.fallbacks ?? []).map((fallback) => this.fallbackGroup(fallback)),
    };
    if (rule.targets !== undefined) compiled.route = { ...this.route(name, { ...input, fallbacks: [] }, `rule ${name}`), fallbacks: [] };
    else if (rule.strategy !== undefined || rule.hedging !== undefined || rule.deadline !== undefined) {
      compiled.overrides = {
        strategy: rule.strategy ?? this.config.strategy,
        ...hedgeOption(input),
        ...(rule.deadline === undefined ? {} : { deadlineMs: rule.deadline }),
      };
    }
    return compiled;
  }

  /** Weighted targets for a list of model strings; duplicates merge their weights. */
  private expandAll(inputs: readonly TargetInput[], depth: number): Array<Omit<Target, 'reason'>> {
    const merged = new Map<string, Omit<Target, 'reason'>>();
    for (const input of inputs) {
      const model = typeof input === 'string' ? input : input.model;
      const weight = typeof input === 'string' ? 1 : input.weight;
      for (const target of this.expand(model, weight, depth)) {
        const id = targetId(target as Target);
        const existing = merged.get(id);
        if (existing === undefined) merged.set(id, target);
        else existing.weight = (existing.weight ?? 1) + (target.weight ?? 1);
      }
    }
    return [...merged.values()];
  }

  /** A model string as weighted targets: an alias's targets (weights scaled), or one resolved target. */
  private expand(model: string, weight: number, depth: number): Array<Omit<Target, 'reason'>> {
    if (depth > MAX_DEPTH) throw new Error(`aliases nest deeper than ${MAX_DEPTH} levels at "${model}"`);
    if (this.inputs.has(model)) {
      const alias = this.alias(model);
      const total = alias.targets.reduce((sum, target) => sum + (target.weight ?? 1), 0) || 1;
      return alias.targets.map((target) => ({ provider: target.provider, model: target.model, weight: (weight * (target.weight ?? 1)) / total }));
    }
    const resolved = resolveModel(model, this.registry);
    return [{ provider: resolved.provider, model: resolved.model, weight }];
  }

  /**
   * A fallback as a group: an alias's targets (balanced with its strategy), or one target.
   * Throws a GatewayError (404/400) for a name nothing serves. Only configured fallbacks are
   * remembered (`remember`), so client-supplied names cannot grow memory.
   */
  fallbackGroup(name: string, remember = true): Target[] {
    const memo = this.fallbackMemo.get(name);
    if (memo !== undefined) return memo;
    let group: Target[];
    if (this.inputs.has(name)) {
      const alias = this.alias(name);
      const fallbackGroup: TargetGroup = { name, strategy: alias.targets[0]?.group?.strategy ?? this.config.strategy };
      group = alias.targets.map((target) => ({ ...target, reason: 'fallback', group: fallbackGroup }));
    } else {
      group = [{ ...resolveModel(name, this.registry), reason: 'fallback' }];
    }
    if (remember || this.inputs.has(name)) this.fallbackMemo.set(name, group);
    return group;
  }
}

/** A GatewayError about a request fallback, naming the parameter. */
export function fallbackError(fallback: string, error: unknown): unknown {
  if (!(error instanceof GatewayError)) return error;
  return new GatewayError({ code: error.code, status: error.status, param: 'fallbacks', message: `Fallback "${fallback}": ${error.message}` });
}
