import type { StreamEvent } from '../../../../src/core/index.js';

/** Rebuild text, reasoning and tool calls from events (what a client would see). */
export function summarise(events: StreamEvent[]): {
  text: string;
  reasoning: string;
  calls: Array<{ id: string; name: string; arguments: string }>;
  finish?: string;
  usage?: Record<string, unknown>;
  errors: string[];
  types: string[];
} {
  let text = '';
  let reasoning = '';
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  const out: ReturnType<typeof summarise> = { text, reasoning, calls, errors: [], types: [] };
  for (const event of events) {
    if (out.types.at(-1) !== event.type) out.types.push(event.type);
    if (event.type === 'text-delta') text += event.delta;
    else if (event.type === 'reasoning-delta') reasoning += event.delta;
    else if (event.type === 'tool-call') calls.push({ id: event.id, name: event.name, arguments: event.arguments });
    else if (event.type === 'finish') out.finish = `${event.finishReason.unified}/${event.finishReason.raw}`;
    else if (event.type === 'usage') {
      const { raw: _raw, ...usage } = event.usage;
      out.usage = usage;
    } else if (event.type === 'error') out.errors.push(`${event.error.code}:${event.error.status}:${event.error.retryable}`);
  }
  out.text = text;
  out.reasoning = reasoning;
  return out;
}
