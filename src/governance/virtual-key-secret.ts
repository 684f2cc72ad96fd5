import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of generated virtual keys (a secret scanner can recognise them). */
export const VIRTUAL_KEY_PREFIX = 'sk-sy-';

/** A new virtual key: the prefix and 192 random bits. */
export function generateVirtualKey(): string {
  return `${VIRTUAL_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
}

/** The stored form: sha256, hex. */
export function hashVirtualKey(value: string): string {
  return hash('sha256', value, 'hex');
}

/** Enough of a key to recognise it in a list, never enough to use it. */
export function virtualKeyHint(value: string): string {
  if (value.length >= 20)
    return `${value.slice(0, value.startsWith(VIRTUAL_KEY_PREFIX) ? 8 : 3)}…${value.slice(-4)}`;
  return `…${value.slice(-2)}`;
}

/** Compare two hex hashes in constant time. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
