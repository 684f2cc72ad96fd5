/*
 * Dispatch contracts. The dispatch itself is a composition of interceptors (router.ts,
 * interceptors/); this module keeps the names other code imports.
 */
export type { AttemptFunction, DispatchResult } from './interceptors/dispatch-call.js';
export { isTargetFailure } from './classify-failure.js';
