/**
 * Something the gateway could not carry over faithfully (a parameter a provider does not
 * support, a lossy conversion). Reported in the `x-switchyard-warnings` header and the request
 * log; in strict mode it is an error instead.
 */
export interface Warning {
  code: 'unsupported-parameter' | 'unsupported-content' | 'lossy-conversion' | 'emulated' | 'other';
  message: string;
  /** The request parameter concerned, in the client's own naming when known. */
  param?: string;
}
