/**
 * A naive reading of an OpenAI chat-completions stream, independent of the gateway's decoders:
 * content, reasoning and tool-call argument deltas concatenated per choice, the first finish
 * reason per choice, the last usage, and whether an error ended it. Read from a recorded `.sse`
 * file (`readOpenAiSseRecording`) or from the chunks a client received (`readOpenAiChunks`), so
 * the two can be compared.
 */
export interface OpenAiStreamReference {
  text: Map<number, string>;
  reasoning: Map<number, string>;
  tools: Map<number, Array<{ id?: string; name?: string; arguments: string }>>;
  finish: Map<number, string>;
  usage: Record<string, unknown> | undefined;
  error: boolean;
}

type Chunk = Record<string, any>;

function empty(): OpenAiStreamReference {
  return { text: new Map(), reasoning: new Map(), tools: new Map(), finish: new Map(), usage: undefined, error: false };
}

function append(map: Map<number, string>, index: number, text: string): void {
  map.set(index, (map.get(index) ?? '') + text);
}

/** Add one chunk's deltas; false once the stream is over (an error chunk). */
function addChunk(out: OpenAiStreamReference, chunk: Chunk): boolean {
  if (chunk.error) {
    out.error = true;
    if (chunk.usage) out.usage = chunk.usage;
    return false;
  }
  for (const choice of chunk.choices ?? []) {
    const index = choice.index ?? 0;
    const delta = choice.delta ?? {};
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (typeof reasoning === 'string') append(out.reasoning, index, reasoning);
    if (typeof delta.content === 'string') append(out.text, index, delta.content);
    if (Array.isArray(delta.content)) {
      for (const item of delta.content) {
        if (item.type === 'text') append(out.text, index, item.text);
        if (item.type === 'thinking') append(out.reasoning, index, item.thinking.map((part: { text: string }) => part.text).join(''));
      }
    }
    for (const [position, call] of (delta.tool_calls ?? []).entries()) {
      const list = out.tools.get(index) ?? [];
      const at = call.index ?? position;
      list[at] ??= { arguments: '' };
      if (call.id) list[at].id ??= call.id;
      if (call.function?.name) list[at].name ??= call.function.name;
      list[at].arguments += call.function?.arguments ?? '';
      out.tools.set(index, list);
    }
    if (choice.finish_reason && !out.finish.has(index)) out.finish.set(index, choice.finish_reason);
  }
  const usage = chunk.usage ?? chunk.x_groq?.usage;
  if (usage) out.usage = usage;
  return true;
}

/** Read a recorded stream (`data:` lines, `[DONE]`, Groq's `event: error`). */
export function readOpenAiSseRecording(raw: string): OpenAiStreamReference {
  const out = empty();
  for (const block of raw.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data === '' || data === '[DONE]') continue;
    const chunk = JSON.parse(data) as Chunk;
    if (/^event: error/m.test(block)) {
      out.error = true;
      if (chunk.usage) out.usage = chunk.usage;
      break;
    }
    if (!addChunk(out, chunk)) break;
  }
  return out;
}

/** Read the chunks a client received (the openai SDK's parsed chunks); `failed` when it threw. */
export function readOpenAiChunks(chunks: readonly object[], failed: boolean): OpenAiStreamReference {
  const out = empty();
  for (const chunk of chunks) if (!addChunk(out, chunk as Chunk)) break;
  if (failed) out.error = true;
  return out;
}
