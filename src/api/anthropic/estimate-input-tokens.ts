import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import type { ChatRequest } from '../../core/index.js';

let encoder: Tiktoken | undefined;

/** Per-message and per-image overheads, roughly what chat formats add around content. */
const MESSAGE_OVERHEAD = 4;
const IMAGE_TOKENS = 1_600;
const DOCUMENT_PAGE_TOKENS = 1_500;

function encode(text: string): number {
  encoder ??= new Tiktoken(o200k);
  return encoder.encode(text).length;
}

/**
 * An estimate of a request's input tokens with the o200k_base tokenizer, for providers without
 * a token counting endpoint. It counts text, tool definitions and tool traffic exactly under
 * that tokenizer and adds fixed amounts for images and documents; other models' tokenizers
 * differ, so callers must present the figure as an estimate.
 */
export function estimateInputTokens(request: ChatRequest): number {
  let total = 0;
  for (const message of request.messages) {
    total += MESSAGE_OVERHEAD;
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
        case 'refusal':
        case 'reasoning':
          total += encode(part.text);
          break;
        case 'tool-call':
          total += encode(part.name) + encode(part.arguments);
          break;
        case 'tool-result':
          if (typeof part.content === 'string') total += encode(part.content);
          else for (const item of part.content) total += item.type === 'text' ? encode(item.text) : item.type === 'image' ? IMAGE_TOKENS : DOCUMENT_PAGE_TOKENS;
          break;
        case 'image':
          total += IMAGE_TOKENS;
          break;
        case 'file':
        case 'audio':
          total += DOCUMENT_PAGE_TOKENS;
          break;
      }
    }
  }
  for (const tool of request.tools ?? []) {
    total += tool.type === 'function' ? encode(tool.name) + encode(tool.description ?? '') + encode(JSON.stringify(tool.parameters)) : encode(JSON.stringify(tool.spec));
  }
  return total;
}
