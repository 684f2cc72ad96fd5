import type { RequestContext } from './request-context.js';

type Hook = (context: RequestContext) => void | Promise<void>;

/**
 * Run hooks in order. While they are synchronous no promise is made at all (the caller's
 * `await undefined` is the only cost); from the first hook that returns a promise on, the rest
 * run after it settles.
 */
export function runHooks(hooks: readonly Hook[], context: RequestContext): void | Promise<void> {
  for (let index = 0; index < hooks.length; index++) {
    const result = hooks[index]!(context);
    if (result !== undefined) return continueAfter(result, hooks, index + 1, context);
  }
  return undefined;
}

async function continueAfter(pending: Promise<void>, hooks: readonly Hook[], from: number, context: RequestContext): Promise<void> {
  await pending;
  for (let index = from; index < hooks.length; index++) {
    const result = hooks[index]!(context);
    if (result !== undefined) await result;
  }
}
