import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOWN_PROVIDER, startMatrixGateway, type MatrixGateway } from './matrix-gateway.js';
import type { CanonicalError, ErrorCase, ProviderRow, SurfaceRow, UpstreamErrorCase } from './matrix-types.js';
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
 * the surface's dialect family: then the provider's own type is kept (a client of OpenAI sees
 * what OpenAI said; chat completions and Responses share one error body). A failure after the
 * stream started reaches each client as its SDK reports stream errors: an error event the SDK
 * raises (OpenAI, Anthropic, GenAI — the only one whose event carries status and code), an
 * exception message (Bedrock), or a `message-end` with finish reason ERROR that the application
 * raises (Cohere). A new surface adds its `errors` part to its SurfaceRow; a new provider needs
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

/** OpenAI's two APIs share one error body (`error.type`, `code`, `param`): a client of one keeps the other's words. */
const family = (dialect: string): string => (dialect.startsWith('openai-') ? 'openai' : dialect);

interface Expected {
  status: number | undefined;
  type: string | undefined;
  /** The gateway's code as the client sees it (default: CANONICAL_CODE of the case). */
  errorCode?: string | undefined;
  retryAfter?: string;
}

function check(surface: SurfaceRow, errorCase: ErrorCase, error: unknown, expected: Expected): void {
  const expectation = surface.errors.expect[errorCase];
  expect(error).toBeInstanceOf(expectation.errorClass);
  const seen = surface.errors.read(error);
  expect(seen).toMatchObject({ status: expected.status, type: expected.type });
  expect(seen.errorCode ?? undefined).toBe('errorCode' in expected ? expected.errorCode : CANONICAL_CODE[errorCase]);
  if (errorCase === 'rate-limit') expect(seen.retryAfter).toBe(expected.retryAfter ?? '7');
}

/** The type a surface gives an error case (for a stream failure, from the canonical error it became). */
function surfaceType(surface: SurfaceRow, errorCase: ErrorCase, canonical?: CanonicalError): string | undefined {
  const type = surface.errors.expect[errorCase].type;
  return typeof type === 'function' ? type(canonical!) : type;
}

for (const surface of SURFACES) {
  describe(`${surface.name} surface errors`, () => {
    for (const provider of PROVIDERS as ProviderRow[]) {
      for (const errorCase of UPSTREAM_CASES) {
        it(`${errorCase} from ${provider.id} (${provider.dialect})`, async () => {
          const upstream = provider.upstream.errorReply(errorCase, provider.fixtures);
          const stream = errorCase === 'mid-stream';
          const error = await surface.errors.call(gateway.url, `${provider.id}/${provider.model}`, `Hello trigger:${errorCase}`, { stream });
          const sameFamily = family(surface.dialect) === family(provider.dialect);
          const type = sameFamily && upstream.type !== undefined ? upstream.type : surfaceType(surface, errorCase, upstream.canonical);
          if (!stream) {
            const status = upstream.status ?? upstream.reply.status!;
            check(surface, errorCase, error, {
              status: surface.errors.statusFor?.({ code: CANONICAL_CODE[errorCase]!, status }) ?? status,
              type,
              ...(upstream.retryAfter === undefined ? {} : { retryAfter: upstream.retryAfter }),
            });
          } else {
            // The stream already answered 200: what the client learns comes from the error event, if anything.
            const carried = surface.errors.streamErrorsCarryStatus === true;
            check(surface, errorCase, error, { status: carried ? upstream.canonical!.status : undefined, type, errorCode: carried ? upstream.canonical!.code : undefined });
          }
        });
      }
    }

    it('unreachable upstream → 502', async () => {
      const error = await surface.errors.call(gateway.url, `${DOWN_PROVIDER}/gpt-4o`, 'Hello', { stream: false });
      check(surface, 'unreachable', error, { status: surface.errors.statusFor?.({ code: 'upstream_unreachable', status: 502 }) ?? 502, type: surfaceType(surface, 'unreachable') });
    });

    it('a request the surface refuses → 400, no upstream call', async () => {
      const before = [...gateway.mocks.values()].reduce((sum, mock) => sum + mock.requests.length, 0);
      const error = await surface.errors.invalid(gateway.url);
      check(surface, 'invalid-request', error, { status: 400, type: surfaceType(surface, 'invalid-request') });
      expect([...gateway.mocks.values()].reduce((sum, mock) => sum + mock.requests.length, 0)).toBe(before);
    });
  });
}
