import type { ProviderKey } from '../providers/provider-settings.js';

/** Type-specific key fields that hold secrets (AWS secretAccessKey and sessionToken, service-account private keys, Entra client secrets). */
const SECRET_FIELD = /secret|token|private|password|credential/i;
/** Shorter strings are not hidden: replacing them would garble the message and they are no real key. */
const MIN_SECRET_LENGTH = 8;

function collect(value: unknown, secretField: boolean, into: string[]): void {
  if (typeof value === 'string') {
    if (secretField && value.length >= MIN_SECRET_LENGTH) into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, secretField, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [field, item] of Object.entries(value)) collect(item, secretField || SECRET_FIELD.test(field), into);
  }
}

/**
 * An upstream error body with the secrets of the key it was sent with replaced by
 * "[redacted]". Some providers repeat the key they were given ("Incorrect API key provided:
 * sk-…"), and error messages reach clients, logs and the request log; a provider key must not.
 */
export function hideKeySecrets(text: string, key: ProviderKey | undefined): string {
  if (key === undefined) return text;
  const secrets: string[] = [];
  if (key.value !== undefined && key.value.length >= MIN_SECRET_LENGTH) secrets.push(key.value);
  collect(key.options, false, secrets);
  let hidden = text;
  for (const secret of secrets) if (hidden.includes(secret)) hidden = hidden.replaceAll(secret, '[redacted]');
  return hidden;
}
