import type { Message } from '../core/index.js';

/**
 * One response created on the Responses surface (POST /v1/responses) and kept for
 * `previous_response_id`, GET /v1/responses/{id} and its input items. The conversation is kept
 * per turn in canonical form, so any provider can continue it; the chain is rebuilt by following
 * previous_response_id.
 */
export interface StoredResponse {
  id: string;
  /** Who may read it: the virtual key id of the caller, "" when the gateway is open. */
  owner: string;
  previousResponseId: string | null;
  /** Unix seconds (the response's created_at). */
  createdAt: number;
  /** Epoch milliseconds after which the record is gone. */
  expiresAt: number;
  model: string;
  /** This turn's input as canonical messages (the `instructions` excluded: they do not carry over). */
  input: Message[];
  /** The model's output as canonical messages (one assistant message). */
  output: Message[];
  /** This turn's input items in Responses form, with ids (GET /v1/responses/{id}/input_items). */
  inputItems: unknown[];
  /** The response object as it was returned to the client. */
  response: unknown;
}

export interface ResponseChain {
  /** Oldest first, ending with the requested response. */
  records: StoredResponse[];
  /** Set when the chain is broken: the id of the first record that is missing or expired. */
  missing?: string;
  /** The chain is longer than the limit (only the newest records were read). */
  truncated?: boolean;
}

/** Where Responses are kept: SQLite in the data directory, or PostgreSQL shared by instances. */
export interface ResponsesStore {
  put(record: StoredResponse): Promise<void>;
  get(id: string, owner: string, now?: number): Promise<StoredResponse | undefined>;
  /** The conversation ending at `id`, following previous_response_id up to `maxLength` records. */
  chain(id: string, owner: string, maxLength: number, now?: number): Promise<ResponseChain>;
  delete(id: string, owner: string): Promise<boolean>;
  /** Remove expired records; returns how many. */
  purgeExpired(now?: number): Promise<number>;
  close(): Promise<void>;
}
