/**
 * Preloaded into Portkey's gateway by the benchmark (node --import). Portkey 1.15.2 on Node
 * answers every streamed chat completion with 500 "Something went wrong": it appends its
 * x-portkey-* headers to the upstream fetch Response, whose headers are immutable
 * (TypeError: immutable; Portkey-AI/gateway issues #1389 and #1550). This wraps streamed
 * upstream responses in a new Response with mutable headers, the change proposed upstream in
 * pull request #1551; JSON responses are left untouched, so only streams pay for the wrapper.
 */
/* global Response, Headers */
const upstreamFetch = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const response = await upstreamFetch(...args);
  if (!response.headers.get('content-type')?.includes('text/event-stream')) return response;
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
};
