import { readFileSync } from 'node:fs';
import { tryParseJson } from '../../json/parse-json.js';
import { parseServiceAccountKey, type ServiceAccountKey } from '../../transport/google-service-account.js';

/**
 * A service-account key from config: an inline object, JSON text (what an `env.NAME` reference
 * to a variable holding the key resolves to), or the path of a key file.
 */
export function loadServiceAccount(value: unknown, where: string): ServiceAccountKey {
  let json: unknown = value;
  if (typeof value === 'string') {
    const text = value.trimStart().startsWith('{') ? value : readKeyFile(value, where);
    json = tryParseJson(text);
    if (json === undefined) throw new Error(`${where}: the service account key is not valid JSON`);
  }
  try {
    return parseServiceAccountKey(json);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}

function readKeyFile(path: string, where: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${where}: cannot read the service account key file "${path}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
