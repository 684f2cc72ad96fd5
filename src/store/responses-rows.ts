import { parseJson } from '../json/parse-json.js';
import type { ResponseChain, StoredResponse } from './responses-store.js';

/** A row of the responses table, as both databases return it. */
export interface ResponseRow {
  id: string;
  owner: string;
  previous_response_id: string | null;
  created_at: number | string;
  expires_at: number | string;
  model: string;
  input_json: string;
  output_json: string;
  input_items_json: string;
  response_json: string;
}

export const COLUMNS = 'id, owner, previous_response_id, created_at, expires_at, model, input_json, output_json, input_items_json, response_json';

export function toRow(record: StoredResponse): unknown[] {
  return [
    record.id,
    record.owner,
    record.previousResponseId,
    record.createdAt,
    record.expiresAt,
    record.model,
    JSON.stringify(record.input),
    JSON.stringify(record.output),
    JSON.stringify(record.inputItems),
    JSON.stringify(record.response),
  ];
}

/** Rows were written by toRow; a corrupt one fails like any unreadable JSON. */
export function fromRow(row: ResponseRow): StoredResponse {
  return {
    id: row.id,
    owner: row.owner,
    previousResponseId: row.previous_response_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    model: row.model,
    input: parseJson(row.input_json, 'stored response') as StoredResponse['input'],
    output: parseJson(row.output_json, 'stored response') as StoredResponse['output'],
    inputItems: parseJson(row.input_items_json, 'stored response') as unknown[],
    response: parseJson(row.response_json, 'stored response'),
  };
}

/** Rows of a chain query (newest first, at most maxLength + 1) → the chain, oldest first. */
export function toChain(rows: ResponseRow[], maxLength: number): ResponseChain {
  const truncated = rows.length > maxLength;
  const records = rows.slice(0, maxLength).map(fromRow).reverse();
  const oldest = records[0];
  const chain: ResponseChain = { records };
  if (truncated) chain.truncated = true;
  else if (oldest !== undefined && oldest.previousResponseId !== null) chain.missing = oldest.previousResponseId;
  return chain;
}

/**
 * The recursive query both databases run: start at the requested id, follow
 * previous_response_id while the record exists, belongs to the owner and has not expired.
 * `$1` id, `$2` owner, `$3` now, `$4` depth limit (maxLength, so one extra row tells truncation).
 */
export const CHAIN_SQL = `with recursive chain(id, previous_response_id, depth) as (
  select id, previous_response_id, 0 from responses where id = $1 and owner = $2 and expires_at > $3
  union all
  select r.id, r.previous_response_id, c.depth + 1 from responses r join chain c on r.id = c.previous_response_id
  where r.owner = $2 and r.expires_at > $3 and c.depth < $4
)
select ${COLUMNS.split(', ')
  .map((column) => `r.${column}`)
  .join(', ')} from chain c join responses r on r.id = c.id order by c.depth asc`;
