import { SseParser } from './sse-parser.js';

/** Splits an upstream byte stream into frames (SSE events, AWS event-stream messages, ...). */
export interface StreamFramer {
  push(chunk: Buffer): void;
  end(): void;
}

export type FramerFactory = (onFrame: (frame: unknown) => void) => StreamFramer;

const framers = new Map<string, FramerFactory>([
  [
    'sse',
    (onFrame) =>
      new SseParser((event) => {
        if (event !== null) onFrame(event);
      }),
  ],
]);

/** Add a framing (the Bedrock transport registers "aws-eventstream"). */
export function registerFramer(name: string, factory: FramerFactory): void {
  framers.set(name, factory);
}

export function createFramer(name: string, onFrame: (frame: unknown) => void): StreamFramer {
  const factory = framers.get(name);
  if (factory === undefined) throw new Error(`No stream framer named "${name}"`);
  return factory(onFrame);
}
