import pino, { type Logger } from 'pino';

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'authorization',
  'apiKey',
  'api_key',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["api-key"]',
  'headers["x-goog-api-key"]',
  '*.authorization',
  '*.apiKey',
  '*.api_key',
  'key.value',
  'keys[*].value',
  '*.secretAccessKey',
  '*.privateKey',
];

export interface LoggerOptions {
  level: string;
  /** Write synchronously (tests, CLI commands that exit right away). */
  sync?: boolean;
  destination?: NodeJS.WritableStream;
}

/** Structured JSON logs (pino), with secrets redacted by path. */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: options.sync ?? false });
  return pino(
    {
      level: options.level,
      base: { service: 'switchyard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export type { Logger };
