import type { RequestContext } from './request-context.js';

/** Run hooks in order; synchronous hooks cost no promise. */
export async function runHooks(hooks: ReadonlyArray<(context: RequestContext) => void | Promise<void>>, context: RequestContext): Promise<void> {
  for (const hook of hooks) {
    const result = hook(context);
    if (result !== undefined) await result;
  }
}
