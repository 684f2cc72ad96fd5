import type { UpstreamRequest } from '../../transport/upstream-request.js';
import type { ProviderKey } from '../provider-settings.js';

/** Attach `Authorization: Bearer <key>` (or another header name) when the key has a value. */
export function bearerAuth(header = 'authorization', scheme: string | null = 'Bearer') {
  return (request: UpstreamRequest, key: ProviderKey | undefined): void => {
    if (key?.value === undefined) return;
    request.headers[header] = scheme === null ? key.value : `${scheme} ${key.value}`;
  };
}
