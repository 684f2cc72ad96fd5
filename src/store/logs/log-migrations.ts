import type { Migration } from '../migrations.js';

/** Migrations of the "logs" component (request log). */

function table(types: { bigint: string; real: string; bool: string }): string {
  return `create table request_logs (
  log_id text primary key,
  request_id text not null,
  trace_id text,
  started_at ${types.bigint} not null,
  surface text not null,
  operation text not null,
  path text not null,
  stream ${types.bool} not null,
  virtual_key text,
  virtual_key_id text,
  team_id text,
  customer_id text,
  provider text,
  provider_type text,
  model_requested text,
  model text,
  model_reported text,
  key_name text,
  status integer not null,
  error_code text,
  error_class text,
  error_message text,
  finish_reason text,
  attempts text not null,
  input_tokens ${types.bigint},
  output_tokens ${types.bigint},
  cache_read_tokens ${types.bigint},
  cache_write_tokens ${types.bigint},
  reasoning_tokens ${types.bigint},
  cost_usd ${types.real},
  cache text,
  warnings text not null,
  total_ms ${types.real},
  upstream_ms ${types.real},
  first_byte_ms ${types.real},
  overhead_ms ${types.real},
  passthrough ${types.bool} not null,
  client_aborted ${types.bool} not null,
  interrupted ${types.bool} not null,
  metadata text not null,
  content_mode text not null,
  request_content text,
  response_content text,
  row_bytes integer not null
);
create index request_logs_request_id on request_logs (request_id);
create index request_logs_virtual_key on request_logs (virtual_key, started_at);
create index request_logs_team on request_logs (team_id, started_at);
create index request_logs_provider on request_logs (provider, started_at);
create index request_logs_model on request_logs (model, started_at);
`;
}

export const LOG_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'request_logs',
    sqlite: `${table({ bigint: 'integer', real: 'real', bool: 'integer' })}
create index request_logs_started_at on request_logs (started_at, row_bytes);`,
    postgres: `${table({ bigint: 'bigint', real: 'double precision', bool: 'smallint' })}
create index request_logs_started_at on request_logs (started_at) include (row_bytes);`,
  },
];
