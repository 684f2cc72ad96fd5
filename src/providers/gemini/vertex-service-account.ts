import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { tryParseJson } from '../../json/parse-json.js';
import { parseServiceAccountKey, type ServiceAccountKey } from '../../transport/google-service-account.js';

/**
 * Read a service-account key given as an inline object, as JSON text (typically through an
 * `env.NAME` reference), or as a path to the JSON key file.
 */
export function loadServiceAccountKey(value: unknown): ServiceAccountKey {
  if (typeof value === 'string') {
    const text = value.trim().startsWith('{') ? value : readFileSync(value, 'utf8');
    const parsed = tryParseJson(text);
    if (parsed === undefined) throw new Error('the service account key is not valid JSON');
    return parseServiceAccountKey(parsed);
  }
  return parseServiceAccountKey(value);
}

/**
 * The `serviceAccount` config field shared by the Vertex provider types: an inline key object,
 * JSON text (e.g. `env.GOOGLE_SERVICE_ACCOUNT_JSON`) or a key file path. Validated (and the file
 * read) when the config is loaded, so a bad key is a config error naming the field.
 */
export const serviceAccountField = z
  .union([z.string().min(1), z.record(z.string(), z.unknown())])
  .transform((value, context) => {
    try {
      return loadServiceAccountKey(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/** Config fields of the `vertex` provider type (names shared with `vertex-anthropic`). */
export const VERTEX_CONFIG_FIELDS = {
  /** Google Cloud project id; defaults to the service account's project_id. */
  project: z.string().min(1).optional(),
  /** Vertex AI location, e.g. "us-central1", "europe-west4" or "global" (default). */
  region: z.string().regex(/^[a-z0-9-]+$/, 'a Google Cloud region such as us-central1 or global').default('global'),
  serviceAccount: serviceAccountField,
  /** OAuth2 token endpoint (default: the key's token_uri, then https://oauth2.googleapis.com/token). */
  tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
};
