import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load-config.js';
import { seedFromConfig } from '../../../src/governance/config-seed.js';
import { hashVirtualKey } from '../../../src/governance/virtual-key-secret.js';

const base = { providers: {} };

describe('governance sections of the config file', () => {
  it('accepts the DESIGN §2 virtualKeys shape, extended with teams and customers', () => {
    const { config, issues } = validateConfig(
      {
        ...base,
        auth: { required: true },
        customers: [{ name: 'acme', budget: { usd: 100, period: '1mo', calendar: true } }],
        teams: [
          {
            name: 'team-a',
            customer: 'acme',
            rateLimit: [
              { requests: 600, per: '1m' },
              { tokens: 1e6, per: '1h' },
            ],
          },
        ],
        virtualKeys: [
          {
            name: 'team-a',
            value: 'env.TEAM_A_KEY',
            team: 'team-a',
            models: ['openai/*', 'anthropic/claude-*'],
            budget: { usd: 5, period: '1d' },
            rateLimit: { requests: 60, tokens: 100000, per: '1m' },
          },
        ],
        governance: {
          providerLimits: { openai: { budget: { usd: 1000, period: '1mo' } } },
          unpricedModels: { input: 1, output: 2 },
        },
      },
      { TEAM_A_KEY: 'sk-sy-from-env' },
    );
    expect(issues).toEqual([]);
    expect(config!.auth.required).toBe(true);
    expect(config!.virtualKeys[0]).toMatchObject({
      value: 'sk-sy-from-env',
      active: true,
      budget: [{ usd: 5, period: '1d', calendar: false }],
    });
    expect(config!.governance).toMatchObject({
      onStoreFailure: { rateLimits: 'open', budgets: 'closed' },
      reservationTtl: 600_000,
      responseHeaders: true,
    });
    const seed = seedFromConfig(config!, '2026-01-01T00:00:00.000Z');
    expect(seed.virtualKeys[0]).toMatchObject({
      id: 'team-a',
      teamId: 'team-a',
      keyHash: hashVirtualKey('sk-sy-from-env'),
      source: 'config',
    });
    expect(JSON.stringify(seed)).not.toContain('sk-sy-from-env');
    expect(seed.providerLimits).toEqual([
      expect.objectContaining({
        provider: 'openai',
        budget: [{ usd: 1000, period: '1mo', calendar: false }],
      }),
    ]);
  });

  it('names every problem: bad periods, unknown fields, missing references, duplicates', () => {
    const { issues } = validateConfig(
      {
        ...base,
        teams: [{ name: 't', customer: 'ghost' }],
        virtualKeys: [
          { name: 'a', value: 'sk-sy-aaaaaaaa', budget: { usd: 1, period: '2 weeks' } },
          { name: 'a', value: 'sk-sy-aaaaaaaa', team: 'nope' },
          { name: 'b', rateLimit: { per: '1m' } },
          { name: 'c', value: 'sk-sy-cccccccc', colour: 'blue' },
          { name: 'd', value: 'sk-sy-dddddddd', budget: { usd: 1, period: '5mo', calendar: true } },
        ],
      },
      {},
    );
    const text = issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n');
    expect(text).toMatch(/virtualKeys\[0\]\.budget\[0\]\.period: "2 weeks" is not a period/);
    expect(text).toMatch(/virtualKeys\[2\]\.rateLimit\[0\]: a rate limit needs requests, tokens or both/);
    expect(text).toMatch(/virtualKeys\[3\]: Unrecognized key: "colour"/);
    expect(text).toMatch(
      /virtualKeys\[4\]\.budget\[0\]\.period: calendar-aligned month periods must divide the year/,
    );
    // Shape problems first; references are checked once the shapes are valid (next test).
    expect(issues).toHaveLength(4);
  });

  it('cross-checks references and uniqueness once the sections are valid', () => {
    const { issues } = validateConfig(
      {
        ...base,
        teams: [{ name: 't', customer: 'ghost' }],
        virtualKeys: [
          { name: 'a', value: 'sk-sy-aaaaaaaa' },
          { name: 'a', value: 'sk-sy-aaaaaaaa', team: 'nope' },
          { name: 'b' },
        ],
      },
      {},
    );
    const text = issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n');
    expect(text).toMatch(/teams\[0\]\.customer: no customer "ghost"/);
    expect(text).toMatch(/virtualKeys\[1\]\.name: duplicate name "a"/);
    expect(text).toMatch(/virtualKeys\[1\]\.value: two keys have the same value/);
    expect(text).toMatch(/virtualKeys\[1\]\.team: no team "nope"/);
    expect(text).toMatch(/virtualKeys\[2\]\.value: required/);
  });

  it('reports an unset environment variable by name', () => {
    const { issues } = validateConfig(
      { ...base, virtualKeys: [{ name: 'a', value: 'env.MISSING_KEY' }] },
      {},
    );
    expect(issues).toEqual([
      { path: 'virtualKeys[0].value', message: 'environment variable MISSING_KEY is not set' },
    ]);
  });
});
