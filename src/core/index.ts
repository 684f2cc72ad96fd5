/**
 * The canonical model: the gateway's own vocabulary for requests, responses, stream events,
 * usage and errors. Surfaces (client dialects) and providers (upstream dialects) are both
 * adapters to these types and never to each other. This folder depends on nothing.
 */
export type * from './cache-control.js';
export type * from './chat-request.js';
export type * from './chat-response.js';
export type * from './citation.js';
export type * from './completion.js';
export type * from './content-part.js';
export type * from './data-source.js';
export type * from './embedding.js';
export type * from './finish-reason.js';
export type * from './logprobs.js';
export type * from './message.js';
export type * from './provider-options.js';
export type * from './reasoning-options.js';
export type * from './rerank.js';
export type * from './response-format.js';
export type * from './stream-event.js';
export type * from './tool.js';
export type * from './usage.js';
export type * from './warning.js';
export * from './errors.js';
