import type { Migration } from './migrations.js';

/** Schema of the "responses" store component (SQLite and PostgreSQL). JSON is kept as text. */
export const RESPONSES_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'responses table',
    sqlite: `create table responses (
      id text primary key,
      owner text not null,
      previous_response_id text,
      created_at integer not null,
      expires_at integer not null,
      model text not null,
      input_json text not null,
      output_json text not null,
      input_items_json text not null,
      response_json text not null
    );
    create index responses_expires_at on responses (expires_at);`,
    postgres: `create table responses (
      id text primary key,
      owner text not null,
      previous_response_id text,
      created_at bigint not null,
      expires_at bigint not null,
      model text not null,
      input_json text not null,
      output_json text not null,
      input_items_json text not null,
      response_json text not null
    );
    create index responses_expires_at on responses (expires_at);`,
  },
];
