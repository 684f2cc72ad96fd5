import type { Surface, SurfaceRequestInfo } from '../api/surface.js';
import type { RequestContext } from '../pipeline/request-context.js';
import type { Operation } from '../pipeline/request-record.js';
import type { GatewayRuntime } from '../pipeline/runtime.js';

export type RouteHandler = (runtime: GatewayRuntime, context: RequestContext, info: SurfaceRequestInfo) => void | Promise<void>;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  /**
   * A literal path ("/v1/chat/completions") or a pattern whose ":name" segments capture
   * ("/v1/models/:id"); a trailing "*" captures the rest of the path as `params.rest`.
   * A segment may also be a regular expression with named groups, given as a RegExp path.
   */
  path: string | RegExp;
  surface: Surface;
  operation: Operation;
  /** Requests here are counted, logged and passed to completion hooks (not for /health). */
  recorded?: boolean;
  handler: RouteHandler;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

interface PatternRoute {
  route: Route;
  regexp: RegExp;
}

/** Percent-decode a path parameter; malformed escapes (e.g. "%E0%A4%A") are kept as sent, never thrown. */
function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function compile(path: string): RegExp {
  let source = '';
  for (const segment of path.split('/').slice(1)) {
    if (segment === '*') source += '(?:/(?<rest>.*))?';
    else if (segment.startsWith(':')) source += `/(?<${segment.slice(1)}>[^/]+)`;
    else source += `/${segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&')}`;
  }
  return new RegExp(`^${source}$`);
}

/**
 * Method + path → route. Literal paths are one map lookup; patterns are tried in order after.
 * A path that exists with other methods gives their list, for 405 answers.
 */
export class RouteTable {
  private readonly literal = new Map<string, Route>();
  private readonly literalPaths = new Map<string, string[]>();
  private readonly patterns: PatternRoute[] = [];

  add(route: Route): void {
    if (typeof route.path === 'string' && !route.path.includes(':') && !route.path.includes('*')) {
      this.literal.set(`${route.method} ${route.path}`, route);
      const methods = this.literalPaths.get(route.path) ?? [];
      methods.push(route.method);
      this.literalPaths.set(route.path, methods);
      return;
    }
    this.patterns.push({ route, regexp: typeof route.path === 'string' ? compile(route.path) : route.path });
  }

  match(method: string, path: string): RouteMatch | { allowed: string[] } | undefined {
    const exact = this.literal.get(`${method} ${path}`);
    if (exact !== undefined) return { route: exact, params: {} };
    let allowed: string[] | undefined = this.literalPaths.get(path);
    for (const { route, regexp } of this.patterns) {
      const found = regexp.exec(path);
      if (found === null) continue;
      if (route.method === method) {
        const params: Record<string, string> = {};
        for (const [name, value] of Object.entries(found.groups ?? {})) if (value !== undefined) params[name] = decodeParam(value);
        return { route, params };
      }
      allowed = [...(allowed ?? []), route.method];
    }
    return allowed === undefined ? undefined : { allowed };
  }
}
