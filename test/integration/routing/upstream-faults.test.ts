import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../../helpers/in-process-gateway.js';
import { FaultUpstream, type ResetHeader } from '../../helpers/fault-upstream.js';
import { attemptLog, chat, compatibleProvider, routerState, startRoutingGateway } from '../../helpers/routing-gateway.js';

/*
 * Every upstream fault, end to end through the gateway: what is retried, what fails over to the
 * fallback, what is never retried, and what the attempt log says. One provider ("primary") is
 * scripted to fail; "backup" answers normally when a test lets the request fall back to it.
 */
describe('upstream faults', () => {
  let primary: FaultUpstream;
  let backup: FaultUpstream;
  let gateway: TestGateway;
  let refusedUrl: string;

  beforeAll(async () => {
    primary = await new FaultUpstream().start();
    backup = await new FaultUpstream().start();
    refusedUrl = await FaultUpstream.refusedUrl();
    gateway = await startRoutingGateway({
      providers: {
        primary: compatibleProvider(primary.url, {
          keys: [
            { name: 'p1', value: 'sk-p1' },
            { name: 'p2', value: 'sk-p2' },
          ],
          retry: { attempts: 2, initialDelay: 5, maxDelay: 20, maxRetryAfter: 3000 },
          timeouts: { firstByte: 1000, idle: 1000, firstToken: 1000 },
          // These tests look at single requests; ejection has its own tests.
          circuitBreaker: { enabled: false },
        }),
        solo: compatibleProvider(primary.url, {
          retry: { attempts: 2, initialDelay: 5, maxDelay: 20, maxRetryAfter: 3000 },
          circuitBreaker: { enabled: false },
        }),
        canon: compatibleProvider(primary.url, {
          passthrough: false,
          retry: { attempts: 2, initialDelay: 5, maxDelay: 20 },
          timeouts: { firstByte: 1000, idle: 1000, firstToken: 1000 },
          circuitBreaker: { enabled: false },
        }),
        // 403 tests. Breakers off here, so only the request's own memory of refused keys keeps
        // it from a refused key; g1 is usually chosen first.
        guarded: compatibleProvider(primary.url, {
          keys: [
            { name: 'g1', value: 'sk-g1', weight: 9 },
            { name: 'g2', value: 'sk-g2', weight: 1 },
          ],
          retry: { attempts: 2, initialDelay: 5, maxDelay: 20 },
          circuitBreaker: { enabled: false },
        }),
        // With breakers on: a refused key's circuit opens at once.
        sentinel: compatibleProvider(primary.url, {
          keys: [
            { name: 's1', value: 'sk-s1' },
            { name: 's2', value: 'sk-s2' },
          ],
        }),
        backup: compatibleProvider(backup.url),
        nowhere: compatibleProvider(refusedUrl, { timeouts: { connect: 500 }, circuitBreaker: { enabled: false } }),
      },
      routing: { retryBudget: { ratio: 1, minPerSecond: 1000 } },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await primary.stop();
    await backup.stop();
  });
  beforeEach(() => {
    primary.reset();
    backup.reset();
  });

  const withFallback = { model: 'primary/gpt-4o-mini', fallbacks: ['backup/gpt-4o-mini'] };

  describe('429 rotates keys, then honours the reset time', () => {
    const kinds: ResetHeader[] = ['retry-after', 'retry-after-date', 'retry-after-ms', 'openai-reset', 'anthropic-reset', 'none'];
    for (const kind of kinds) {
      it(`429 with ${kind}: the other key answers`, async () => {
        primary.next({ type: 'rate-limit', reset: kind, resetMs: 1000 });
        const result = await chat(gateway.url, { model: 'primary/gpt-4o-mini' });
        expect(result.status).toBe(200);
        expect(primary.count()).toBe(2);
        expect(primary.requests[0]!.key).not.toBe(primary.requests[1]!.key);
        const log = attemptLog(result.headers);
        expect(log.map((entry) => entry.status)).toEqual(['429', '200']);
        expect(log[1]!.reason).toBe('retry after 429 (key rotated)');
      });
    }

    it('429 on a single-key provider: waits for the reset, then the same key answers', async () => {
      primary.next({ type: 'rate-limit', reset: 'retry-after-ms', resetMs: 50 });
      const result = await chat(gateway.url, { model: 'solo/gpt-4o-mini' });
      expect(result.status).toBe(200);
      expect(primary.count()).toBe(2);
      expect(attemptLog(result.headers)[1]!.reason).toBe('retry after 429');
    });

    it('429 whose reset is longer than maxRetryAfter is not waited for: it falls back', async () => {
      primary.always({ type: 'rate-limit', reset: 'retry-after', resetMs: 60_000 });
      const result = await chat(gateway.url, { model: 'solo/gpt-4o-mini', fallbacks: ['backup/gpt-4o-mini'] });
      expect(result.status).toBe(200);
      expect(primary.count()).toBe(1);
      expect(backup.count()).toBe(1);
      expect(attemptLog(result.headers).map((entry) => entry.reason)).toEqual([undefined, 'fallback']);
    });

    it('when every retry is rate limited the client gets the 429 with its retry-after', async () => {
      primary.always({ type: 'rate-limit', reset: 'retry-after', resetMs: 60_000 });
      const result = await chat(gateway.url, { model: 'solo/gpt-4o-mini' });
      expect(result.status).toBe(429);
      expect(result.headers.get('retry-after')).toBe('60');
    });
  });

  describe('5xx and broken connections are retried', () => {
    for (const status of [500, 502, 503, 529]) {
      it(`HTTP ${status} is retried on the same target`, async () => {
        primary.next({ type: 'status', status });
        const result = await chat(gateway.url, { model: 'solo/gpt-4o-mini' });
        expect(result.status).toBe(200);
        expect(primary.count()).toBe(2);
        expect(attemptLog(result.headers)[1]!.reason).toBe(`retry after ${status}`);
      });
    }

    it('retries stop at the policy limit, then the fallback answers', async () => {
      primary.always({ type: 'status', status: 503 });
      const result = await chat(gateway.url, withFallback);
      expect(result.status).toBe(200);
      expect(primary.count()).toBe(3);
      expect(backup.count()).toBe(1);
      expect(attemptLog(result.headers).map((entry) => entry.reason)).toEqual([undefined, 'retry after 503', 'retry after 503', 'fallback']);
    });

    it('x-switchyard-retries: 0 turns retries off for the request', async () => {
      primary.always({ type: 'status', status: 500 });
      const result = await chat(gateway.url, { model: 'solo/gpt-4o-mini' }, { 'x-switchyard-retries': '0' });
      expect(result.status).toBe(500);
      expect(primary.count()).toBe(1);
    });

    it('a reset connection is retried', async () => {
      primary.next({ type: 'reset' });
      const result = await chat(gateway.url, { model: 'solo/gpt-4o-mini' });
      expect(result.status).toBe(200);
      expect(attemptLog(result.headers)[0]!.status).toBe('upstream_unreachable');
    });

    it('a refused connection fails over to the fallback', async () => {
      const result = await chat(gateway.url, { model: 'nowhere/gpt-4o-mini', fallbacks: ['backup/gpt-4o-mini'] });
      expect(result.status).toBe(200);
      expect(backup.count()).toBe(1);
      const log = attemptLog(result.headers);
      expect(log.at(-1)).toMatchObject({ target: 'backup/gpt-4o-mini', status: '200', reason: 'fallback' });
      expect(log.slice(0, -1).every((entry) => entry.status === 'upstream_unreachable')).toBe(true);
    });

    it('a malformed JSON answer is retried', async () => {
      primary.next({ type: 'malformed-json' });
      const result = await chat(gateway.url, { model: 'solo/gpt-4o-mini' });
      expect(result.status).toBe(200);
      expect(attemptLog(result.headers)[0]!.status).toBe('200');
      expect(attemptLog(result.headers).length).toBe(2);
    });

    it('an upstream that never answers times out (first-byte timeout) and falls back', async () => {
      primary.always({ type: 'hang' });
      const result = await chat(gateway.url, withFallback, { 'x-switchyard-retries': '0' });
      expect(result.status).toBe(200);
      expect(backup.count()).toBe(1);
      expect(attemptLog(result.headers).map((entry) => entry.status)).toEqual(['upstream_timeout', '200']);
    });
  });

  describe('client errors are never retried', () => {
    for (const status of [400, 422]) {
      it(`HTTP ${status}: one attempt, no fallback`, async () => {
        primary.always({ type: 'status', status });
        const result = await chat(gateway.url, withFallback);
        expect(result.status).toBe(status);
        expect(primary.count()).toBe(1);
        expect(backup.count()).toBe(0);
      });
    }

    it('HTTP 404 is not retried on the same target, but the fallback is tried', async () => {
      primary.always({ type: 'status', status: 404 });
      const result = await chat(gateway.url, withFallback);
      expect(result.status).toBe(200);
      expect(primary.count()).toBe(1);
      expect(backup.count()).toBe(1);
    });
  });

  describe('keys', () => {
    it('a key answering 401 is skipped for the rest of the request and reported unhealthy', async () => {
      primary.always((request) => (request.key === 'sk-p1' ? { type: 'refuse-key' } : { type: 'ok' }));
      const first = await chat(gateway.url, { model: 'primary/gpt-4o-mini' }, { 'x-switchyard-key': 'p1' });
      // Pinned to the refused key: nothing else may be used.
      expect(first.status).toBe(401);
      const results = await Promise.all(Array.from({ length: 6 }, () => chat(gateway.url, { model: 'primary/gpt-4o-mini' })));
      for (const result of results) expect(result.status).toBe(200);
      // No request used the refused key twice.
      for (const result of results) {
        const keys = attemptLog(result.headers).map((entry) => entry.key);
        expect(keys.filter((key) => key === 'p1').length).toBeLessThanOrEqual(1);
        expect(keys.at(-1)).toBe('p2');
      }
      const state = await routerState(gateway.url);
      expect(state.keys.find((entry) => entry.key === 'p1')!.unhealthy).toMatchObject({ status: 401, code: 'upstream_authentication' });
      expect(state.keys.find((entry) => entry.key === 'p2')!.unhealthy).toBeUndefined();
    });

    it('a key answering 403 is replaced by another key and never used again by that request', async () => {
      // The first key the gateway uses is forbidden (403); the other fails once (500), then answers.
      let forbidden: string | undefined;
      let otherAnswers = 0;
      primary.always((request) => {
        forbidden ??= request.key;
        if (request.key === forbidden) return { type: 'forbid-key' };
        return otherAnswers++ === 0 ? { type: 'status', status: 500 } : { type: 'ok' };
      });
      // After the 500 the same target is retried: the retry takes the other key again, whatever
      // the weights say, because the forbidden one was refused during this request.
      const first = await chat(gateway.url, { model: 'guarded/gpt-4o-mini' });
      expect(first.status).toBe(200);
      const refused = forbidden === 'sk-g1' ? 'g1' : 'g2';
      const other = refused === 'g1' ? 'g2' : 'g1';
      expect(attemptLog(first.headers)).toMatchObject([
        { target: 'guarded/gpt-4o-mini', key: refused, status: '403' },
        { target: 'guarded/gpt-4o-mini', key: other, status: '500', reason: 'retry after 403 (key skipped)' },
        { target: 'guarded/gpt-4o-mini', key: other, status: '200', reason: 'retry after 500' },
      ]);
      expect(primary.requests.map((request) => request.key)).toEqual([`sk-${refused}`, `sk-${other}`, `sk-${other}`]);
      // Later requests may try the forbidden key first (no breaker here), but never twice.
      for (let index = 0; index < 8; index++) {
        const result = await chat(gateway.url, { model: 'guarded/gpt-4o-mini' });
        expect(result.status).toBe(200);
        const keys = attemptLog(result.headers).map((entry) => entry.key);
        expect(keys.filter((key) => key === refused).length).toBeLessThanOrEqual(1);
        expect(keys.at(-1)).toBe(other);
      }
      const state = await routerState(gateway.url);
      const keyState = (name: string) => state.keys.find((entry) => entry.provider === 'guarded' && entry.key === name)!;
      expect(keyState(refused).unhealthy).toMatchObject({ status: 403, code: 'upstream_permission' });
      expect(keyState(other).unhealthy).toBeUndefined();
    });

    it('a key answering 403 has its circuit opened at once: later requests use the other key', async () => {
      let forbidden: string | undefined;
      primary.always((request) => {
        forbidden ??= request.key;
        return request.key === forbidden ? { type: 'forbid-key' } : { type: 'ok' };
      });
      const first = await chat(gateway.url, { model: 'sentinel/gpt-4o-mini' });
      expect(first.status).toBe(200);
      expect(attemptLog(first.headers).map((entry) => entry.status)).toEqual(['403', '200']);
      const results = await Promise.all(Array.from({ length: 6 }, () => chat(gateway.url, { model: 'sentinel/gpt-4o-mini' })));
      for (const result of results) expect(result.status).toBe(200);
      expect(primary.requests.slice(2).map((request) => request.key)).not.toContain(forbidden);
      const refused = (await routerState(gateway.url)).keys.find((entry) => entry.provider === 'sentinel' && `sk-${entry.key}` === forbidden)!;
      expect(refused.circuit.state).toBe('open');
      expect(refused.unhealthy).toMatchObject({ status: 403 });
    });

    it('when every key answers 403, each is tried once and the request moves to the next target', async () => {
      primary.always({ type: 'forbid-key' });
      const result = await chat(gateway.url, { model: 'guarded/gpt-4o-mini', fallbacks: ['backup/gpt-4o-mini'] });
      expect(result.status).toBe(200);
      expect(result.headers.get('x-switchyard-provider')).toBe('backup');
      const log = attemptLog(result.headers);
      expect(log.map((entry) => entry.status)).toEqual(['403', '403', '200']);
      expect(log.slice(0, 2).map((entry) => entry.key).sort()).toEqual(['g1', 'g2']);
      expect(log[2]).toMatchObject({ target: 'backup/gpt-4o-mini', reason: 'fallback' });
      expect(primary.count()).toBe(2);
    });

    it('x-switchyard-key pins the key; an unknown key name is a 400', async () => {
      const pinned = await chat(gateway.url, { model: 'primary/gpt-4o-mini' }, { 'x-switchyard-key': 'p2' });
      expect(pinned.status).toBe(200);
      expect(primary.requests.at(-1)!.key).toBe('sk-p2');
      const unknown = await chat(gateway.url, { model: 'primary/gpt-4o-mini' }, { 'x-switchyard-key': 'nope' });
      expect(unknown.status).toBe(400);
      expect((unknown.body.error as { param: string }).param).toBe('x-switchyard-key');
    });
  });

  // The passthrough path (bytes forwarded) and the canonical path (decoded and re-encoded).
  describe.each([
    ['passthrough', 'primary'],
    ['canonical', 'canon'],
  ])('streams (%s)', (_path, provider) => {
    const body = { model: `${provider}/gpt-4o-mini`, fallbacks: ['backup/gpt-4o-mini'], stream: true, messages: [{ role: 'user', content: 'hi' }] };
    const post = () => fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('a stream that dies before its first content falls back, and the client sees one clean stream', async () => {
      primary.always({ type: 'stream-dies', afterEvents: 1 });
      const response = await post();
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).toContain('[DONE]');
      expect(text).not.toContain('"error"');
      expect(backup.count()).toBe(1);
      expect(attemptLog(response.headers).at(-1)).toMatchObject({ target: 'backup/gpt-4o-mini', reason: 'fallback' });
    });

    it('a slow first token (first-token timeout) falls back before anything is sent', async () => {
      primary.always({ type: 'slow-first-token', delayMs: 5000 });
      const response = await post();
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).toContain('[DONE]');
      expect(backup.count()).toBe(1);
      const log = attemptLog(response.headers);
      expect(log[0]!.status).toBe('200');
      expect(log.at(-1)!.reason).toBe('fallback');
      // The abandoned upstream streams were cancelled, not left running.
      expect(primary.requests.every((request) => request.aborted)).toBe(true);
    });

    it('a stream that stalls before its first content (idle timeout) falls back', async () => {
      primary.always({ type: 'stream-stalls', afterEvents: 1 });
      const response = await post();
      expect(await response.text()).toContain('[DONE]');
      expect(backup.count()).toBe(1);
    });

    it('an error event before the first content falls back', async () => {
      primary.always({ type: 'stream-error-event', afterEvents: 1 });
      const response = await post();
      const text = await response.text();
      expect(text).not.toContain('"error"');
      expect(backup.count()).toBe(1);
    });

    it('malformed JSON before the first content falls back', async () => {
      primary.always({ type: 'malformed-json' });
      const response = await post();
      const text = await response.text();
      expect(text).toContain('[DONE]');
      expect(text).not.toContain('chatcmpl-broken');
      expect(backup.count()).toBe(1);
    });
  });
});
