/**
 * Regenerate docs/admin-api.openapi.json from the code (src/admin/openapi.ts):
 *   node --import tsx scripts/write-admin-openapi.ts
 * A test fails while the committed file differs from what the gateway serves.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminOpenApiDocument } from '../src/admin/openapi.js';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/admin-api.openapi.json');
writeFileSync(file, `${JSON.stringify(adminOpenApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
