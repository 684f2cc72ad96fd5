import type { AssistantMessage, Message, SystemMessage, Warning } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import {
  audioUnsupported,
  type ContentConversion,
  fileBlock,
  finishBlock,
  imageBlock,
  textBlock,
  toolResultBlock,
} from './convert-to-anthropic-content.js';

type Json = Record<string, unknown>;

export interface AnthropicPrompt {
  /** Top-level `system`: a string when plain, blocks when cache_control or extras are set. */
  system?: string | Json[];
  messages: Json[];
}

function systemBlocks(messages: SystemMessage[]): string | Json[] | undefined {
  const parts = messages.flatMap((message) => message.content);
  if (parts.length === 0) return undefined;
  const only = parts[0]!;
  if (parts.length === 1 && only.cacheControl === undefined && only.providerOptions === undefined) return only.text;
  return parts.map((part) => finishBlock({ type: 'text', text: part.text }, part));
}

function toolInput(argumentsText: string, name: string, warnings: Warning[]): Json {
  if (argumentsText.trim() === '') return {};
  const parsed = tryParseJson(argumentsText);
  if (isRecord(parsed)) return parsed;
  warnings.push({
    code: 'lossy-conversion',
    message: `the arguments of the earlier call to "${name}" are not a JSON object; they were sent as {}`,
  });
  return {};
}

function assistantBlocks(message: AssistantMessage, state: ContentConversion): Json[] {
  const blocks: Json[] = [];
  let droppedReasoning = false;
  for (const part of message.content) {
    switch (part.type) {
      case 'text': {
        const block = textBlock(part, true);
        if (block !== undefined) blocks.push(block);
        break;
      }
      case 'refusal':
        if (part.text !== '') blocks.push({ type: 'text', text: part.text });
        break;
      case 'reasoning':
        if (part.redactedData !== undefined) blocks.push(finishBlock({ type: 'redacted_thinking', data: part.redactedData }, part));
        else if (part.signature !== undefined && part.signature !== '') {
          blocks.push(finishBlock({ type: 'thinking', thinking: part.text, signature: part.signature }, part));
        } else droppedReasoning = true;
        break;
      case 'tool-call':
        blocks.push(finishBlock({ type: 'tool_use', id: part.id, name: part.name, input: toolInput(part.arguments, part.name, state.warnings) }, part));
        break;
      default:
        state.warnings.push({
          code: 'unsupported-content',
          message: `assistant ${part.type} content cannot be sent to ${state.providerName} and was left out`,
        });
    }
  }
  if (droppedReasoning) {
    state.warnings.push({
      code: 'lossy-conversion',
      message: 'earlier reasoning without an Anthropic signature cannot be sent back as thinking and was left out',
    });
  }
  return blocks;
}

/**
 * Canonical messages → Anthropic `system` + `messages`. System messages go to the top-level
 * system prompt (one after the first turn is moved there, with a warning). Tool results become
 * tool_result blocks in user turns; consecutive user and tool messages merge into one user turn
 * with its tool results first (Anthropic wants them before any other content), and consecutive
 * assistant messages merge too, so roles alternate.
 */
export function convertToAnthropicMessages(messages: Message[], state: ContentConversion): AnthropicPrompt {
  const system: SystemMessage[] = [];
  const out: Json[] = [];
  let userResults: Json[] | undefined;
  let userOther: Json[] | undefined;
  let assistant: Json[] | undefined;
  let movedSystem = false;

  const flushUser = (): void => {
    if (userResults === undefined) return;
    const content = [...userResults, ...userOther!];
    const only = content[0];
    // A lone plain text is sent as a string, as most clients write it.
    if (content.length === 1 && only!.type === 'text' && Object.keys(only!).length === 2) out.push({ role: 'user', content: only!.text });
    else if (content.length > 0) out.push({ role: 'user', content });
    userResults = undefined;
    userOther = undefined;
  };
  const flushAssistant = (): void => {
    if (assistant === undefined) return;
    if (assistant.length > 0) out.push({ role: 'assistant', content: assistant });
    assistant = undefined;
  };
  const openUser = (): void => {
    flushAssistant();
    if (userResults === undefined) {
      userResults = [];
      userOther = [];
    }
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        if (out.length > 0 || userResults !== undefined || assistant !== undefined) movedSystem = true;
        system.push(message);
        break;
      case 'user':
        openUser();
        for (const part of message.content) {
          const block =
            part.type === 'text'
              ? textBlock(part, false)
              : part.type === 'image'
                ? imageBlock(part, state)
                : part.type === 'file'
                  ? fileBlock(part, state)
                  : audioUnsupported(part, state);
          if (block !== undefined) userOther!.push(block);
        }
        break;
      case 'tool':
        openUser();
        for (const part of message.content) userResults!.push(toolResultBlock(part, state));
        break;
      case 'assistant':
        flushUser();
        assistant ??= [];
        assistant.push(...assistantBlocks(message, state));
        break;
    }
    if (message.name !== undefined && message.role !== 'tool') {
      state.warnings.push({ code: 'unsupported-parameter', param: 'name', message: `${state.providerName} takes no participant names; "${message.name}" was not sent` });
    }
  }
  flushUser();
  flushAssistant();
  if (movedSystem) {
    state.warnings.push({
      code: 'lossy-conversion',
      param: 'messages',
      message: 'Anthropic takes system instructions only before the conversation; later system messages were moved into the system prompt',
    });
  }
  const prompt: AnthropicPrompt = { messages: out };
  const systemValue = systemBlocks(system);
  if (systemValue !== undefined) prompt.system = systemValue;
  return prompt;
}
