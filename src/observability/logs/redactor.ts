/**
 * Redaction of secrets from logged content: one combined regular expression over every string
 * (built-in secret shapes plus the operator's patterns), and JSON fields whose values are always
 * hidden whatever they look like.
 */

export const REDACTED = '[redacted]';

/** Shapes of credentials that must never reach the log store. */
export const BUILTIN_SECRET_PATTERNS: readonly string[] = [
  // OpenAI, Anthropic (sk-ant-...), DeepSeek and most "sk-" style keys
  'sk-[A-Za-z0-9_-]{16,}',
  // Stripe-style live/test keys
  '(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}',
  // AWS access key ids
  '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b',
  // Google API keys
  'AIza[0-9A-Za-z_-]{35}',
  // GitHub tokens
  'gh[pousr]_[A-Za-z0-9]{36,}',
  'github_pat_[A-Za-z0-9_]{22,}',
  // Slack tokens
  'xox[abprs]-[A-Za-z0-9-]{10,}',
  // Hugging Face tokens
  'hf_[A-Za-z0-9]{30,}',
  // Switchyard admin keys
  'sy-admin-[A-Za-z0-9_-]{16,}',
  // JSON Web Tokens
  'eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}',
  // The token of an Authorization header written out in text
  '(?<=\\b[Bb]earer\\s{1,4})[A-Za-z0-9._~+/=-]{8,}',
  // PEM private keys
  '-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----',
];

/** JSON fields whose values are hidden whatever they contain (compared case-insensitively). */
export const BUILTIN_SECRET_FIELDS: readonly string[] = [
  'password',
  'passwd',
  'secret',
  'client_secret',
  'api_key',
  'apikey',
  'api-key',
  'x-api-key',
  'authorization',
  'access_token',
  'refresh_token',
  'id_token',
  'session_token',
  'private_key',
  'secret_access_key',
  'aws_secret_access_key',
];

export interface RedactorOptions {
  builtin: boolean;
  patterns: readonly string[];
  fields: readonly string[];
}

export class Redactor {
  private readonly pattern: RegExp | undefined;
  private readonly fields: Set<string>;

  constructor(options: RedactorOptions) {
    const sources = [...(options.builtin ? BUILTIN_SECRET_PATTERNS : []), ...options.patterns];
    this.pattern =
      sources.length === 0 ? undefined : new RegExp(sources.map((source) => `(?:${source})`).join('|'), 'g');
    this.fields = new Set(
      [...(options.builtin ? BUILTIN_SECRET_FIELDS : []), ...options.fields].map((field) =>
        field.toLowerCase(),
      ),
    );
  }

  text(value: string): string {
    if (this.pattern === undefined) return value;
    this.pattern.lastIndex = 0;
    return this.pattern.test(value) ? value.replace(this.pattern, REDACTED) : value;
  }

  /** A copy of a JSON value with secrets replaced; the input is never modified. */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value !== 'object' || value === null || depth > 64) return value;
    if (Array.isArray(value)) return value.map((item) => this.value(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        this.fields.has(key.toLowerCase()) && item !== null && item !== ''
          ? REDACTED
          : this.value(item, depth + 1);
    }
    return out;
  }
}
