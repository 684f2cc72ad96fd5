/** Only the hot-path pieces of bench/micro/hot-path-benches.ts (quicker than npm run bench:micro). */
import { run } from 'mitata';
import { registerHotPathBenches } from './hot-path-benches.js';

registerHotPathBenches();
await run();
