import http2, { type Http2ServerRequest, type Http2Session } from 'node:http2';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/*
 * Cleartext HTTP/2 with prior knowledge (RFC 9113 §3.3) on the same port as HTTP/1.1. Some
 * official SDKs speak only HTTP/2: the AWS SDK for JavaScript v3 sends Bedrock Runtime calls
 * through its NodeHttp2Handler, so pointing it at `http://gateway/bedrock` needs h2c. Each new
 * connection is sniffed: one that opens with the HTTP/2 connection preface goes to an http2
 * server (compat API, same request handler), everything else to the HTTP/1.1 server untouched.
 */

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** Connection-specific headers HTTP/2 forbids (RFC 9113 §8.2.2); HTTP/1.1 code may set them. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/**
 * The compat response with what the gateway's HTTP/1.1 code relies on: `destroyed`, and
 * connection headers ignored instead of throwing.
 */
class GatewayHttp2Response extends http2.Http2ServerResponse {
  override setHeader(name: string, value: number | string | readonly string[]): this {
    if (!CONNECTION_HEADERS.has(name.toLowerCase())) super.setHeader(name, value);
    return this;
  }

  override writeHead(statusCode: number, ...rest: unknown[]): this {
    const headers = rest[rest.length - 1];
    if (typeof headers === 'object' && headers !== null && !Array.isArray(headers)) {
      const kept: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(headers)) if (!CONNECTION_HEADERS.has(name.toLowerCase())) kept[name] = value;
      rest[rest.length - 1] = kept;
    }
    return (super.writeHead as (status: number, ...args: unknown[]) => this)(statusCode, ...rest);
  }
}

// The compat response is a plain Stream without `destroyed`; the stream it writes to has one.
Object.defineProperty(GatewayHttp2Response.prototype, 'destroyed', {
  get(this: GatewayHttp2Response): boolean {
    return this.stream.destroyed;
  },
});

export interface H2cSupport {
  /** Ask every HTTP/2 session to finish its streams and close (GOAWAY). */
  close(): void;
  /** Cut every HTTP/2 session now. */
  destroy(): void;
  readonly sessions: number;
}

/** Read a socket through a JS stream, replaying the bytes already taken for sniffing. */
function replaySocket(socket: Socket, head: Buffer): Duplex {
  const wrapper = new Duplex({
    read() {
      socket.resume();
    },
    write(data: Buffer, encoding, callback) {
      socket.write(data, encoding, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  socket.on('data', (data: Buffer) => {
    if (!wrapper.push(data)) socket.pause();
  });
  socket.on('end', () => wrapper.push(null));
  socket.on('close', () => wrapper.destroy());
  socket.on('error', (error) => wrapper.destroy(error));
  wrapper.push(head);
  return wrapper;
}

/**
 * Let `server` (an HTTP/1.1 node:http server) also accept h2c prior-knowledge connections,
 * handled by `handler` like HTTP/1.1 requests. Connections that send nothing, and HTTP/2
 * sessions without streams, are closed after `idleTimeoutMs`.
 */
export function acceptPriorKnowledgeH2c(
  server: Server,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  idleTimeoutMs = 65_000,
): H2cSupport {
  const h2 = http2.createServer({ Http2ServerResponse: GatewayHttp2Response as typeof http2.Http2ServerResponse }, (request: Http2ServerRequest, response) =>
    handler(request as unknown as IncomingMessage, response as unknown as ServerResponse),
  );
  const sessions = new Set<Http2Session>();
  /** Connections that have not sent their first bytes yet (not known to either server). */
  const sniffing = new Set<Socket>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.setTimeout(idleTimeoutMs, () => session.close());
    session.on('close', () => sessions.delete(session));
  });
  const http1 = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    let head: Buffer | undefined;
    sniffing.add(socket);
    socket.once('close', () => sniffing.delete(socket));
    socket.setTimeout(idleTimeoutMs, () => socket.destroy());
    const onError = (): void => {
      socket.destroy();
    };
    socket.on('error', onError);
    const onData = (chunk: Buffer): void => {
      head = head === undefined ? chunk : Buffer.concat([head, chunk]);
      const length = Math.min(head.length, PREFACE.length);
      const prefix = head.subarray(0, length).equals(PREFACE.subarray(0, length));
      if (prefix && head.length < PREFACE.length) return; // maybe HTTP/2: wait for the whole preface
      socket.off('data', onData);
      socket.off('error', onError);
      sniffing.delete(socket);
      socket.pause();
      socket.setTimeout(0);
      if (prefix) {
        h2.emit('connection', replaySocket(socket, head));
      } else {
        socket.unshift(head);
        for (const listener of http1) listener.call(server, socket);
      }
      socket.resume();
    };
    socket.on('data', onData);
  });
  return {
    close() {
      for (const session of sessions) session.close();
      // Nothing was asked on these yet; closing them loses nothing.
      for (const socket of sniffing) socket.destroy();
    },
    destroy() {
      for (const session of sessions) session.destroy();
      for (const socket of sniffing) socket.destroy();
    },
    get sessions() {
      return sessions.size;
    },
  };
}
