import type { Migration } from '../migrations.js';

/** Component name in schema_migrations. */
export const GOVERNANCE_COMPONENT = 'governance';

/*
 * The config store schema. Each object has its identifying and referencing columns as columns
 * (so the database enforces uniqueness and references) and the rest as a JSON document.
 * Timestamps are ISO text in SQLite, timestamptz in PostgreSQL; spend times are epoch ms.
 */
export const GOVERNANCE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'customers, teams, virtual keys, provider limits, spend ledger',
    sqlite: `
      create table gov_customers (
        id text primary key,
        name text not null unique,
        source text not null,
        data text not null,
        created_at text not null,
        updated_at text not null
      );
      create table gov_teams (
        id text primary key,
        name text not null unique,
        customer_id text references gov_customers(id),
        source text not null,
        data text not null,
        created_at text not null,
        updated_at text not null
      );
      create table gov_virtual_keys (
        id text primary key,
        name text not null unique,
        key_hash text not null unique,
        team_id text references gov_teams(id),
        customer_id text references gov_customers(id),
        source text not null,
        data text not null,
        created_at text not null,
        updated_at text not null
      );
      create table gov_provider_limits (
        provider text primary key,
        source text not null,
        data text not null,
        created_at text not null,
        updated_at text not null
      );
      create table gov_spend (
        spend_id text primary key,
        request_id text not null,
        at integer not null,
        virtual_key_id text,
        team_id text,
        customer_id text,
        provider text,
        model text,
        cost_nano integer not null,
        input_tokens integer,
        output_tokens integer
      );
      create index gov_spend_key_at on gov_spend (virtual_key_id, at);
      create index gov_spend_team_at on gov_spend (team_id, at);
      create index gov_spend_customer_at on gov_spend (customer_id, at);
      create index gov_spend_provider_at on gov_spend (provider, at);
    `,
    postgres: `
      create table gov_customers (
        id text primary key,
        name text not null unique,
        source text not null,
        data jsonb not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create table gov_teams (
        id text primary key,
        name text not null unique,
        customer_id text references gov_customers(id),
        source text not null,
        data jsonb not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create table gov_virtual_keys (
        id text primary key,
        name text not null unique,
        key_hash text not null unique,
        team_id text references gov_teams(id),
        customer_id text references gov_customers(id),
        source text not null,
        data jsonb not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create table gov_provider_limits (
        provider text primary key,
        source text not null,
        data jsonb not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create table gov_spend (
        spend_id text primary key,
        request_id text not null,
        at bigint not null,
        virtual_key_id text,
        team_id text,
        customer_id text,
        provider text,
        model text,
        cost_nano bigint not null,
        input_tokens integer,
        output_tokens integer
      );
      create index gov_spend_key_at on gov_spend (virtual_key_id, at);
      create index gov_spend_team_at on gov_spend (team_id, at);
      create index gov_spend_customer_at on gov_spend (customer_id, at);
      create index gov_spend_provider_at on gov_spend (provider, at);
    `,
  },
  {
    version: 2,
    name: 'providers and encrypted provider keys managed through the admin API',
    sqlite: `
      create table gov_providers (
        id text primary key,
        type text not null,
        source text not null,
        data text not null,
        created_at text not null,
        updated_at text not null
      );
      create table gov_provider_keys (
        provider_id text not null references gov_providers(id) on delete cascade,
        name text not null,
        secret text,
        hint text,
        data text not null,
        created_at text not null,
        updated_at text not null,
        primary key (provider_id, name)
      );
    `,
    postgres: `
      create table gov_providers (
        id text primary key,
        type text not null,
        source text not null,
        data jsonb not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create table gov_provider_keys (
        provider_id text not null references gov_providers(id) on delete cascade,
        name text not null,
        secret text,
        hint text,
        data jsonb not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        primary key (provider_id, name)
      );
    `,
  },
];
