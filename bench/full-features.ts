import type { Target } from './targets.js';

/**
 * Switchyard with every feature the benchmark requires on: virtual-key auth, a rate limit, a
 * budget, request logging to SQLite and metrics. Filled in as those features land.
 */
export const FULL_FEATURES_TARGETS: Target[] = [];
