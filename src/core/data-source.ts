/** Where binary content (image, audio, document) comes from. */
export type DataSource =
  /** A URL the provider fetches itself (http(s) or gs:// / s3:// where supported). */
  | { kind: 'url'; url: string }
  /** Inline base64 data. `mediaType` is the IANA type, e.g. "image/png". */
  | { kind: 'base64'; mediaType: string; data: string }
  /** A file previously uploaded to the provider (OpenAI file id, Gemini file URI, ...). */
  | { kind: 'file-id'; id: string };
