import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../../src/store/secret-box.js';

describe('secret box (AES-256-GCM)', () => {
  const box = SecretBox.fromSecret('0f'.repeat(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.encrypt('sk-live-abc123', 'provider-key:openai:main');
    expect(sealed).toMatch(/^v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('sk-live');
    expect(box.decrypt(sealed, 'provider-key:openai:main')).toBe('sk-live-abc123');
    expect(box.encrypt('same', 'c')).not.toBe(box.encrypt('same', 'c'));
  });

  it('refuses another row, tampering and another key', () => {
    const sealed = box.encrypt('secret', 'provider-key:openai:main');
    expect(() => box.decrypt(sealed, 'provider-key:openai:other')).toThrow();
    const bytes = Buffer.from(sealed.split(':')[2]!, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() =>
      box.decrypt(`v1:${box.keyId}:${bytes.toString('base64')}`, 'provider-key:openai:main'),
    ).toThrow();
    const other = SecretBox.fromSecret('1e'.repeat(32));
    expect(() => other.decrypt(sealed, 'provider-key:openai:main')).toThrow(
      /another SWITCHYARD_ENCRYPTION_KEY/,
    );
  });

  it('takes 32 bytes as hex or base64, or a long passphrase', () => {
    const raw = Buffer.alloc(32, 7);
    expect(SecretBox.fromSecret(raw.toString('hex')).keyId).toBe(new SecretBox(raw).keyId);
    expect(SecretBox.fromSecret(raw.toString('base64')).keyId).toBe(new SecretBox(raw).keyId);
    expect(
      SecretBox.fromSecret('correct horse battery staple').decrypt(
        SecretBox.fromSecret('correct horse battery staple').encrypt('x', 'c'),
        'c',
      ),
    ).toBe('x');
    expect(() => SecretBox.fromSecret('short')).toThrow(/too short/);
  });
});
