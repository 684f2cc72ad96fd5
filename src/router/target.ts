import type { Provider } from '../providers/provider.js';

/** One place a request can go: a provider and the model id to ask it for. */
export interface Target {
  provider: Provider;
  model: string;
  /** How the target was chosen, for logs ("requested", "fallback", ...). */
  reason: string;
}
