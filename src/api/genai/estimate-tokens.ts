import type { Tiktoken } from 'js-tiktoken/lite';
import type { ChatRequest } from '../../core/index.js';

let encoder: Promise<Tiktoken> | undefined;

/** o200k_base, loaded on first use (the rank table is large and most gateways never need it). */
function loadEncoder(): Promise<Tiktoken> {
  encoder ??= Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/o200k_base')]).then(
    ([{ Tiktoken }, ranks]) => new Tiktoken(ranks.default),
  );
  return encoder;
}

/** Gemini bills an image of up to 384×384 px as 258 tokens; larger ones as tiles of 258. */
const TOKENS_PER_MEDIA = 258;
/** Role markers and turn separators per message. */
const TOKENS_PER_MESSAGE = 4;

/**
 * A token count for providers that have no counting endpoint: the text is counted with
 * OpenAI's o200k_base tokenizer (not the target's own, so an estimate), media are counted at
 * Gemini's per-image rate and every message adds its framing. Answers say it is an estimate.
 */
export async function estimateTokens(request: ChatRequest): Promise<number> {
  const tokenizer = await loadEncoder();
  const count = (text: string): number => (text === '' ? 0 : tokenizer.encode(text).length);
  let total = 0;
  for (const message of request.messages) {
    total += TOKENS_PER_MESSAGE;
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
        case 'reasoning':
        case 'refusal':
          total += count(part.text);
          break;
        case 'tool-call':
          total += count(part.name) + count(part.arguments);
          break;
        case 'tool-result':
          if (typeof part.content === 'string') total += count(part.content);
          else for (const item of part.content) total += item.type === 'text' ? count(item.text) : TOKENS_PER_MEDIA;
          break;
        default:
          total += TOKENS_PER_MEDIA;
      }
    }
  }
  for (const tool of request.tools ?? []) {
    total += tool.type === 'function' ? count(tool.name) + count(tool.description ?? '') + count(JSON.stringify(tool.parameters)) : count(JSON.stringify(tool.spec));
  }
  return total;
}
