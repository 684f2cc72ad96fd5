import type { AssistantContentPart, Message, UserContentPart } from '../../core/index.js';
import { tryParseJson } from '../../json/parse-json.js';
import {
  cachePoint,
  convertAudio,
  convertFile,
  convertImage,
  convertText,
  convertToolResult,
  type ContentConversion,
} from './convert-to-bedrock-content.js';

type Json = Record<string, unknown>;

export interface BedrockPrompt {
  system: Json[];
  messages: Array<{ role: 'user' | 'assistant'; content: Json[] }>;
}

function userBlocks(part: UserContentPart, param: string, conversion: ContentConversion): Json {
  switch (part.type) {
    case 'text':
      return convertText(part);
    case 'image':
      return convertImage(part, param, conversion);
    case 'file':
      return convertFile(part, param, conversion);
    case 'audio':
      return convertAudio(part, param, conversion);
  }
}

function assistantBlock(part: AssistantContentPart, param: string, conversion: ContentConversion): Json | undefined {
  switch (part.type) {
    case 'text':
      return convertText(part);
    case 'reasoning': {
      if (part.redactedData !== undefined) return { reasoningContent: { redactedContent: part.redactedData } };
      if (part.signature === undefined) {
        conversion.warnings.push({
          code: 'lossy-conversion',
          param,
          message: `reasoning without a signature cannot be sent back to ${conversion.providerName}; it was left out of the history`,
        });
        return undefined;
      }
      return { reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } };
    }
    case 'tool-call': {
      const trimmed = part.arguments.trim();
      let input = trimmed === '' ? {} : tryParseJson(trimmed);
      if (input === undefined) {
        conversion.warnings.push({
          code: 'lossy-conversion',
          param,
          message: `the arguments of tool call "${part.id}" are not valid JSON; ${conversion.providerName} needs a JSON value, so {} was sent`,
        });
        input = {};
      }
      return { toolUse: { toolUseId: part.id, name: part.name, input } };
    }
    case 'refusal':
      conversion.warnings.push({ code: 'lossy-conversion', param, message: `a refusal in the history was sent to ${conversion.providerName} as plain text` });
      return { text: part.text };
    case 'image':
      return convertImage(part, param, conversion);
    case 'audio':
      return convertAudio(part, param, conversion);
  }
}

/**
 * Canonical messages → Converse `system` and `messages`. System messages become the top-level
 * system blocks (one placed after the conversation started is moved there, with a warning);
 * tool results become `toolResult` blocks of a user turn; consecutive turns of the same role are
 * merged, since Bedrock requires user and assistant turns to alternate. A part's cache
 * breakpoint becomes a `cachePoint` block right after it.
 */
export function convertToBedrockMessages(messages: readonly Message[], conversion: ContentConversion): BedrockPrompt {
  const prompt: BedrockPrompt = { system: [], messages: [] };
  let conversationStarted = false;
  messages.forEach((message, messageIndex) => {
    const param = `messages[${messageIndex}]`;
    if (message.name !== undefined) {
      conversion.warnings.push({ code: 'unsupported-parameter', param: `${param}.name`, message: `${conversion.providerName} has no participant names; "name" was not sent` });
    }
    if (message.role === 'system') {
      if (conversationStarted) {
        conversion.warnings.push({ code: 'lossy-conversion', param, message: `${conversion.providerName} takes system instructions only before the conversation; this one was moved there` });
      }
      for (const part of message.content) {
        prompt.system.push(convertText(part));
        if (part.cacheControl !== undefined) prompt.system.push(cachePoint(part.cacheControl));
      }
      return;
    }
    conversationStarted = true;
    const blocks: Json[] = [];
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    message.content.forEach((part, partIndex) => {
      const partParam = `${param}.content[${partIndex}]`;
      let block: Json | undefined;
      if (message.role === 'assistant') block = assistantBlock(part as AssistantContentPart, partParam, conversion);
      else if (message.role === 'tool') block = part.type === 'tool-result' ? convertToolResult(part, partParam, conversion) : undefined;
      else block = userBlocks(part as UserContentPart, partParam, conversion);
      if (block === undefined) return;
      blocks.push(block);
      if (part.cacheControl !== undefined) blocks.push(cachePoint(part.cacheControl));
    });
    if (blocks.length === 0) return;
    const previous = prompt.messages[prompt.messages.length - 1];
    if (previous !== undefined && previous.role === role) previous.content.push(...blocks);
    else prompt.messages.push({ role, content: blocks });
  });
  return prompt;
}
