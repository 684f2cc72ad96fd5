import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOWN_PROVIDER, startMatrixGateway, type MatrixGateway } from './matrix-gateway.js';
import type { ErrorCase, ProviderRow, SurfaceRow, UpstreamErrorCase } from './matrix-types.js';
import { PROVIDERS } from './provider-table.js';
import { SURFACES } from './surface-table.js';

/*
 * The same canonical errors through every surface: each surface answers in its own error shape
 * and its official SDK raises the right error class with the right status. Generated from the
 * same two tables as the matrix (surface-table.ts `errors`, provider-table.ts upstreams):
 *
 * - upstream errors (rate limit with retry-after, authentication, bad request, overloaded, a
 *   stream that fails after it started), each answered by every provider's mock in its own
 *   dialect;
 * - the gateway's own: an unreachable upstream (502) and a request the surface refuses (400).
 *
 * The body's error type is the surface's own word for the error, except when the provider spoke
 * the surface's dialect: then the provider's own type is kept (a client of OpenAI sees what
 * OpenAI said). A new surface adds its `errors` part to its SurfaceRow; a new provider needs
 * `errorReply` in its UpstreamDialect.
 */

const CANONICAL_CODE: Record<ErrorCase, string | undefined> = {
  'rate-limit': 'upstream_rate_limited',
  authentication: 'upstream_authentication',
  'bad-request': 'upstream_bad_request',
  overloaded: 'upstream_overloaded',
  unreachable: 'upstream_unreachable',
  'invalid-request': 'invalid_request',
  // The stream already answered 200: the failure arrives as an error event in the body.
  'mid-stream': undefined,
};

const UPSTREAM_CASES: UpstreamErrorCase[] = ['rate-limit', 'authentication', 'bad-request', 'overloaded', 'mid-stream'];

let gateway: MatrixGateway;

beforeAll(async () => {
  gateway = await startMatrixGateway(PROVIDERS);
});
afterAll(async () => {
  for (const surface of SURFACES) surface.release?.();
  await gateway?.close();
});

function check(surface: SurfaceRow, errorCase: ErrorCase, error: unknown, expected: { status: number | undefined; type: string }): void {
  const expectation = surface.errors.expect[errorCase];
  expect(error).toBeInstanceOf(expectation.errorClass);
  const seen = surface.errors.read(error);
  expect(seen).toMatchObject({ status: expected.status, type: expected.type });
  expect(seen.errorCode ?? undefined).toBe(CANONICAL_CODE[errorCase]);
  if (errorCase === 'rate-limit') expect(seen.retryAfter).toBe('7');
}

for (const surface of SURFACES) {
  describe(`${surface.name} surface errors`, () => {
    for (const provider of PROVIDERS as ProviderRow[]) {
      for (const errorCase of UPSTREAM_CASES) {
        it(`${errorCase} from ${provider.id} (${provider.dialect})`, async () => {
          const upstream = provider.upstream.errorReply(errorCase, provider.fixtures);
          const stream = errorCase === 'mid-stream';
          const error = await surface.errors.call(gateway.url, `${provider.id}/${provider.model}`, `Hello trigger:${errorCase}`, { stream });
          const sameDialect = surface.dialect === provider.dialect;
          check(surface, errorCase, error, {
            status: stream ? undefined : upstream.reply.status,
            type: sameDialect && upstream.type !== undefined ? upstream.type : surface.errors.expect[errorCase].type!,
          });
        });
      }
    }

    it('unreachable upstream → 502', async () => {
      const error = await surface.errors.call(gateway.url, `${DOWN_PROVIDER}/gpt-4o`, 'Hello', { stream: false });
      check(surface, 'unreachable', error, { status: 502, type: surface.errors.expect.unreachable.type! });
    });

    it('a request the surface refuses → 400, no upstream call', async () => {
      const before = [...gateway.mocks.values()].reduce((sum, mock) => sum + mock.requests.length, 0);
      const error = await surface.errors.invalid(gateway.url);
      check(surface, 'invalid-request', error, { status: 400, type: surface.errors.expect['invalid-request'].type! });
      expect([...gateway.mocks.values()].reduce((sum, mock) => sum + mock.requests.length, 0)).toBe(before);
    });
  });
}
