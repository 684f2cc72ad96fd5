import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** An OTLP span as the OTLP/HTTP JSON encoding carries it. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status?: { code?: number; message?: string };
}

/** Attribute value of a span, unwrapped from its OTLP AnyValue. */
export function spanAttribute(span: OtlpSpan, key: string): unknown {
  const found = span.attributes.find((attribute) => attribute.key === key)?.value;
  if (found === undefined) return undefined;
  if ('stringValue' in found) return found.stringValue;
  if ('intValue' in found) return Number(found.intValue);
  if ('doubleValue' in found) return Number(found.doubleValue);
  if ('boolValue' in found) return found.boolValue;
  if ('arrayValue' in found) {
    const values = (found.arrayValue as { values?: Array<Record<string, unknown>> }).values ?? [];
    return values.map((value) => value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue);
  }
  return found;
}

/**
 * A local OTLP/HTTP traces receiver (JSON encoding, optionally gzip): answers 200 with an
 * empty ExportTraceServiceResponse and keeps every span and resource it was sent.
 */
export class OtlpReceiver {
  readonly spans: OtlpSpan[] = [];
  readonly resources: Array<Record<string, unknown>> = [];
  readonly headers: Array<Record<string, string | string[] | undefined>> = [];
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        let body = Buffer.concat(chunks);
        if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (request.url !== '/v1/traces' || !String(request.headers['content-type']).includes('json')) {
          response.writeHead(415).end();
          return;
        }
        this.headers.push(request.headers);
        const payload = JSON.parse(body.toString('utf8')) as {
          resourceSpans?: Array<{
            resource?: Record<string, unknown>;
            scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
          }>;
        };
        for (const resourceSpans of payload.resourceSpans ?? []) {
          this.resources.push(resourceSpans.resource ?? {});
          for (const scope of resourceSpans.scopeSpans ?? []) this.spans.push(...(scope.spans ?? []));
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1/traces`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
