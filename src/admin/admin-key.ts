import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface AdminKey {
  /** The secret itself (kept in memory only). */
  value: string;
  /** Generated on this start (print it once); false when it came from the environment or the data dir. */
  generated: boolean;
  /** Where it came from, for the start-up message. */
  source: 'environment' | 'file';
  file?: string;
}

export const ADMIN_KEY_FILE = 'admin-key';

/**
 * The admin API credential: SWITCHYARD_ADMIN_KEY, else the key saved in the data directory,
 * else a new random key written there (mode 0600) and reported as generated.
 */
export function resolveAdminKey(env: Readonly<Record<string, string | undefined>>, dataDir: string): AdminKey {
  const fromEnv = env.SWITCHYARD_ADMIN_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, generated: false, source: 'environment' };
  const file = path.join(dataDir, ADMIN_KEY_FILE);
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), generated: false, source: 'file', file };
  mkdirSync(dataDir, { recursive: true });
  const value = `sy-admin-${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, generated: true, source: 'file', file };
}

/** Compare two secrets in constant time (hashing first makes lengths equal). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
