import type { GatewayError } from '../core/index.js';
import { errorHeaders } from '../api/openai/encode-error.js';
import type { EncodedError, Surface } from '../api/surface.js';

/** The admin API's own JSON error shape: {"error": {"code", "message", "param"}}. */
export const adminSurface: Surface = {
  name: 'admin',
  dialect: 'admin',
  encodeError(error: GatewayError): EncodedError {
    return {
      status: error.status,
      headers: errorHeaders(error),
      body: JSON.stringify({ error: { code: error.code, message: error.message, ...(error.param ? { param: error.param } : {}) } }),
    };
  },
};
