import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';

/**
 * Encryption at rest for secrets in the config store (provider keys): AES-256-GCM with a random
 * 96-bit IV per value and the owner's identity as additional authenticated data, so a
 * ciphertext copied to another row does not decrypt. The key comes from
 * SWITCHYARD_ENCRYPTION_KEY: 32 bytes as 64 hex characters or base64, or any other passphrase
 * (stretched with scrypt).
 *
 * Stored form: "v1:<key id>:<base64 iv|tag|ciphertext>"; the key id (8 hex characters of a
 * hash of the key) tells a wrong key apart from tampering.
 */
export class SecretBox {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the encryption key must be 32 bytes');
    this.key = key;
    this.keyId = createHash('sha256').update('switchyard-key-id').update(key).digest('hex').slice(0, 8);
  }

  /** From the SWITCHYARD_ENCRYPTION_KEY value. */
  static fromSecret(secret: string): SecretBox {
    const trimmed = secret.trim();
    if (/^[0-9a-f]{64}$/i.test(trimmed)) return new SecretBox(Buffer.from(trimmed, 'hex'));
    if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
      const bytes = Buffer.from(
        trimmed,
        trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64',
      );
      if (bytes.length === 32) return new SecretBox(bytes);
    }
    if (trimmed.length < 16)
      throw new Error(
        'SWITCHYARD_ENCRYPTION_KEY is too short: use 32 random bytes (64 hex characters) or a passphrase of 16+ characters',
      );
    return new SecretBox(scryptSync(trimmed, 'switchyard-secret-box-v1', 32));
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1:${this.keyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  decrypt(stored: string, context: string): string {
    const [version, keyId, payload] = stored.split(':');
    if (version !== 'v1' || payload === undefined) throw new Error('unknown secret format');
    if (keyId !== this.keyId)
      throw new Error(
        `the secret was encrypted with another SWITCHYARD_ENCRYPTION_KEY (key id ${keyId}, current ${this.keyId})`,
      );
    const bytes = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }
}
