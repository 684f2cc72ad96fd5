/** Only the per-surface benchmarks (bench/micro/surface-benches.ts); --filter REGEX narrows them. */
import { run } from 'mitata';
import { parseArgs } from 'node:util';
import { registerSurfaceBenches } from './surface-benches.js';

const { values } = parseArgs({ options: { filter: { type: 'string' } } });
registerSurfaceBenches();
await run(values.filter === undefined ? {} : { filter: new RegExp(values.filter) });
