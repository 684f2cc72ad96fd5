import { encodeEventStreamEvent, encodeEventStreamException } from '../../src/transport/aws-eventstream.js';
import { fixtureReply, MockUpstream, type MockHandler, type MockReply, type RecordedRequest } from './mock-upstream.js';
import { verifySigV4, type SigV4Credentials } from './verify-sigv4.js';

export interface BedrockCall {
  /** The model id, percent-decoded from the path. */
  modelId: string;
  operation: 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream' | string;
  request: RecordedRequest;
  accessKeyId: string;
}

export type BedrockHandler = (call: BedrockCall) => MockReply | Promise<MockReply>;

/**
 * A mock Bedrock Runtime: every request must carry a valid SigV4 signature for service
 * "bedrock" by a known access key (recomputed with the AWS signer, as AWS does), or it gets
 * the 403 Bedrock answers; a valid one is passed to the handler by model and operation.
 */
export async function startMockBedrock(secrets: Readonly<Record<string, SigV4Credentials>>, handler: BedrockHandler, region?: string): Promise<MockUpstream> {
  const upstream = await new MockUpstream().start();
  upstream.otherwise(signedBedrockHandler(secrets, handler, region));
  return upstream;
}

/** The request handler of a mock Bedrock Runtime (see startMockBedrock), for a mock started elsewhere. */
export function signedBedrockHandler(secrets: Readonly<Record<string, SigV4Credentials>>, handler: BedrockHandler, region?: string): MockHandler {
  return async (request) => {
    const verdict = await verifySigV4({ method: request.method, url: request.path, headers: request.headers, body: request.body }, secrets, { service: 'bedrock', ...(region === undefined ? {} : { region }) });
    if (!verdict.ok) return bedrockError(403, 'InvalidSignatureException', `The request signature we calculated does not match the signature you provided. (${verdict.reason})`);
    const match = /^\/model\/([^/]+)\/([a-z-]+)$/.exec(request.path);
    if (match === null) return bedrockError(404, 'UnknownOperationException', 'Unknown operation');
    return handler({ modelId: decodeURIComponent(match[1]!), operation: match[2]!, request, accessKeyId: verdict.accessKeyId });
  };
}

/** A Bedrock error answer: `{"message"}` with the kind in x-amzn-ErrorType. */
export function bedrockError(status: number, type: string, message: string, headers: Record<string, string> = {}): MockReply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'c0ffee00-0000-4000-8000-000000000000', ...headers },
    body: JSON.stringify({ message }),
  };
}

/** Replay a recorded .eventstream body, cut at random offsets. */
export function eventStreamReply(name: string, chunkSize = 37): MockReply {
  return fixtureReply(name, { chunkSize, randomChunks: true });
}

/** An event stream built from frames (events, then optionally an exception). */
export function framesReply(events: Array<[string, unknown]>, exception?: [string, string]): MockReply {
  const frames = events.map(([type, payload]) => encodeEventStreamEvent(type, payload));
  if (exception !== undefined) frames.push(encodeEventStreamException(exception[0], { message: exception[1] }));
  return { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream' }, body: Buffer.concat(frames), chunkSize: 64 };
}
