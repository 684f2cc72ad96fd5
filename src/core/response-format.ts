/** Structured output request. */
export type ResponseFormat =
  | { type: 'text' }
  /** Any valid JSON object (OpenAI json_object). */
  | { type: 'json' }
  | {
      type: 'json-schema';
      name: string;
      schema: Record<string, unknown>;
      description?: string;
      strict?: boolean;
    };
