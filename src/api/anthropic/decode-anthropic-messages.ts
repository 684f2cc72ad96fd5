import type { Message, SystemContentPart, ToolResultPart, UserContentPart } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import { readArray, readEnum, readObject, readString, requireField } from '../../json/request-reader.js';
import { opaqueBlockPart } from '../../providers/anthropic/opaque-block.js';
import {
  decodeAssistantBlock,
  decodeDocumentBlock,
  decodeImageBlock,
  decodeTextBlock,
  decodeToolResultBlock,
} from './decode-anthropic-blocks.js';

/** `system`: a string or text blocks (with cache_control). */
export function decodeSystem(value: unknown): SystemContentPart[] {
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'text', text: value }];
  return readArray(value, 'system').map((item, index) => {
    const block = readObject(item, `system.${index}`);
    readEnum(block.type, `system.${index}.type`, ['text'] as const);
    return decodeTextBlock(block, `system.${index}`, false);
  });
}

/**
 * A user turn → canonical messages. Tool results live in `tool` messages in the canonical
 * model, so a user turn [tool_result, tool_result, text] becomes a tool message with both
 * results followed by a user message with the text, in the order the blocks came.
 */
function decodeUserTurn(content: unknown, path: string, out: Message[]): void {
  if (typeof content === 'string') {
    out.push({ role: 'user', content: [{ type: 'text', text: content }] });
    return;
  }
  let results: ToolResultPart[] | undefined;
  let parts: UserContentPart[] | undefined;
  readArray(content, `${path}.content`).forEach((item, index) => {
    const blockPath = `${path}.content.${index}`;
    const block = readObject(item, blockPath);
    const type = readString(requireField(block, 'type', `${blockPath}.type`), `${blockPath}.type`);
    if (type === 'tool_result') {
      if (parts !== undefined) {
        out.push({ role: 'user', content: parts });
        parts = undefined;
      }
      if (results === undefined) {
        results = [];
        out.push({ role: 'tool', content: results });
      }
      results.push(decodeToolResultBlock(block, blockPath));
      return;
    }
    results = undefined;
    if (parts === undefined) parts = [];
    parts.push(
      type === 'text'
        ? decodeTextBlock(block, blockPath, false)
        : type === 'image'
          ? decodeImageBlock(block, blockPath)
          : type === 'document'
            ? decodeDocumentBlock(block, blockPath)
            : opaqueBlockPart(block),
    );
  });
  if (parts !== undefined) out.push({ role: 'user', content: parts });
}

/** Anthropic `messages` → canonical messages, validating as it goes. */
export function decodeAnthropicMessages(value: unknown): Message[] {
  const list = readArray(value, 'messages');
  if (list.length === 0) throw invalidRequest('messages: at least one message is required', 'messages');
  const out: Message[] = [];
  list.forEach((item, index) => {
    const path = `messages.${index}`;
    const message = readObject(item, path);
    const role = readEnum(requireField(message, 'role', `${path}.role`), `${path}.role`, ['user', 'assistant'] as const);
    const content = requireField(message, 'content', `${path}.content`);
    if (role === 'user') {
      decodeUserTurn(content, path, out);
      return;
    }
    if (typeof content === 'string') {
      out.push({ role: 'assistant', content: content === '' ? [] : [{ type: 'text', text: content }] });
      return;
    }
    out.push({
      role: 'assistant',
      content: readArray(content, `${path}.content`).map((block, blockIndex) =>
        decodeAssistantBlock(readObject(block, `${path}.content.${blockIndex}`), `${path}.content.${blockIndex}`),
      ),
    });
  });
  return out;
}
