import type { Tiktoken } from 'js-tiktoken/lite';
import type { ChatRequest } from '../core/index.js';

let encoder: Promise<Tiktoken> | undefined;

/** o200k_base, loaded on first use: the rank table is large and most gateways never count. */
function loadEncoder(): Promise<Tiktoken> {
  encoder ??= Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/o200k_base')]).then(
    ([{ Tiktoken }, ranks]) => new Tiktoken(ranks.default),
  );
  return encoder;
}

/** What a surface's own provider family charges for non-text content, in tokens. */
export interface MediaTokens {
  image: number;
  /** A document, audio or video part. */
  file: number;
}

/** Anthropic-style media figures (an image of about 1,000×1,000 px; a page of a document). */
export const ANTHROPIC_MEDIA: MediaTokens = { image: 1_600, file: 1_500 };
/** Gemini bills an image of up to 384×384 px, and each tile of larger media, as 258 tokens. */
export const GEMINI_MEDIA: MediaTokens = { image: 258, file: 258 };

/** Role markers and turn separators per message. */
const TOKENS_PER_MESSAGE = 4;

/**
 * An estimate of a request's input tokens for providers without a counting endpoint: text,
 * tool definitions and tool traffic are counted with OpenAI's o200k_base tokenizer (not the
 * target's own, so an estimate), media at the surface family's per-item figure, and every
 * message adds its framing. Answers must present the figure as an estimate.
 */
export async function estimateInputTokens(request: ChatRequest, media: MediaTokens = ANTHROPIC_MEDIA): Promise<number> {
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
          else for (const item of part.content) total += item.type === 'text' ? count(item.text) : item.type === 'image' ? media.image : media.file;
          break;
        case 'image':
          total += media.image;
          break;
        default:
          total += media.file;
      }
    }
  }
  for (const tool of request.tools ?? []) {
    total += tool.type === 'function' ? count(tool.name) + count(tool.description ?? '') + count(JSON.stringify(tool.parameters)) : count(JSON.stringify(tool.spec));
  }
  return total;
}
