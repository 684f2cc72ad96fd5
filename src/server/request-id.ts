import { timeOrderedId } from '../store/time-ordered-id.js';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The client's x-request-id when it is a sane token, otherwise a new time-ordered UUID (v7), so
 * the request log's request-id index grows at its end instead of at random pages.
 */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  if (typeof incoming === 'string' && SAFE_ID.test(incoming)) return incoming;
  return timeOrderedId();
}
