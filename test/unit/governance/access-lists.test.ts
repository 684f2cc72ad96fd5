import { describe, expect, it } from 'vitest';
import { accessRefusal } from '../../../src/governance/access-lists.js';

describe('access lists', () => {
  it('allows everything without lists', () => {
    expect(accessRefusal({}, 'openai', 'gpt-4o')).toBeUndefined();
  });

  it('matches model patterns against provider/model or the model id', () => {
    const lists = { models: ['openai/*', 'anthropic/claude-*', 'mistral-large-*'] };
    expect(accessRefusal(lists, 'openai', 'gpt-4o')).toBeUndefined();
    expect(accessRefusal(lists, 'anthropic', 'claude-sonnet-4-5')).toBeUndefined();
    expect(accessRefusal(lists, 'mistral', 'mistral-large-2411')).toBeUndefined();
    expect(accessRefusal(lists, 'anthropic', 'opus')).toMatch(/not allowed/);
    expect(accessRefusal(lists, 'groq', 'llama-3.1')).toMatch(/not allowed/);
  });

  it('lets deny entries win over allow entries, for models and providers', () => {
    expect(accessRefusal({ models: ['*'], denyModels: ['*-preview'] }, 'openai', 'gpt-5-preview')).toMatch(
      /denied/,
    );
    expect(accessRefusal({ providers: ['open*'], denyProviders: ['openrouter'] }, 'openrouter', 'x')).toMatch(
      /provider "openrouter" is denied/,
    );
    expect(accessRefusal({ providers: ['openai'] }, 'groq', 'x')).toMatch(/provider "groq" is not allowed/);
    expect(accessRefusal({ providers: ['openai'] }, 'openai', 'x')).toBeUndefined();
  });
});
