/**
 * Microbenchmarks of features that register their own hot paths (governance key lookup and
 * rate-limit check, ...). Each entry registers mitata benches when called.
 */
import { registerGovernanceBenches } from './governance-benches.js';
import { registerHotPathBenches } from './hot-path-benches.js';
import { registerSurfaceBenches } from './surface-benches.js';

export const EXTRA_MICRO_BENCHES: Array<() => void> = [
  registerSurfaceBenches,
  registerGovernanceBenches,
  registerHotPathBenches,
];
