/** Why generation stopped, in the gateway's terms. Route and bill on this value. */
export type UnifiedFinishReason =
  | 'stop'
  | 'length'
  | 'tool-calls'
  | 'content-filter'
  /** The provider paused a long-running turn (Anthropic `pause_turn`); the client continues it. */
  | 'pause'
  | 'error'
  | 'other';

/** The unified reason plus the provider's own value, kept for logs and same-dialect surfaces. */
export interface FinishReason {
  unified: UnifiedFinishReason;
  raw?: string;
}
