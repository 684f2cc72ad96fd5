import type { ChatAdapter } from '../provider.js';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import { convertToResponsesRequest } from './convert-to-responses-request.js';
import { decodeResponsesResponse } from './decode-responses-response.js';
import { ResponsesStreamDecoder } from './responses-stream-decoder.js';

/** How a provider reaches its Responses endpoint: the transport difference between vendors. */
export interface ResponsesTransport {
  /** POST a Responses body (to /responses, /openai/v1/responses, ...). */
  post(body: string | Buffer, stream: boolean, model: string): UpstreamRequest;
  /** The model id to put in the body (Azure: the deployment name); default: unchanged. */
  upstreamModel?(model: string): string;
  /** GET/DELETE a stored response; absent when the vendor keeps none. */
  resource?(method: 'GET' | 'DELETE', id: string, suffix: '' | '/input_items', query: string): UpstreamRequest;
}

/** The Responses dialect as a chat adapter: canonical request in, canonical response/stream out. */
export function createResponsesChatAdapter(providerId: string, transport: ResponsesTransport): ChatAdapter {
  const name = `provider "${providerId}"`;
  return {
    streamFraming: 'sse',
    buildRequest(request, context) {
      const model = transport.upstreamModel?.(context.model) ?? context.model;
      const body = convertToResponsesRequest(request, model, name, context.warnings);
      return transport.post(JSON.stringify(body), request.stream, model);
    },
    decodeResponse: (body) => decodeResponsesResponse(body, providerId),
    createStreamDecoder: () => new ResponsesStreamDecoder(providerId),
  };
}
