import type {
  AssistantMessage,
  FilePart,
  ImagePart,
  AudioPart,
  Message,
  TextPart,
  ToolResultPart,
  Warning,
} from '../../core/index.js';
import { toDataUrl } from '../shared/data-url.js';
import { itemMetadata, RESPONSES_FAMILY } from './responses-family.js';

type Json = Record<string, unknown>;

/** An input item the canonical model has no slot for (built-in tool calls, item references). */
export interface OpaqueInputItem {
  /** Index of the canonical message the item goes before (messages.length: at the end). */
  position: number;
  item: Json;
}

export interface ResponsesInput {
  instructions?: string;
  input: Json[];
  /** The input sends encrypted reasoning back, so the API must be asked to return it again. */
  carriesReasoning: boolean;
}

/** Unrecognised fields a Responses client put on an item or part travel back unchanged. */
function withOptions(target: Json, options: Record<string, Record<string, unknown>> | undefined): Json {
  const own = options?.[RESPONSES_FAMILY];
  return own === undefined ? target : { ...target, ...own };
}

function imagePart(part: ImagePart): Json {
  const source = part.source;
  const out: Json = { type: 'input_image' };
  if (source.kind === 'file-id') out.file_id = source.id;
  else out.image_url = source.kind === 'url' ? source.url : toDataUrl(source.mediaType, source.data);
  out.detail = part.detail ?? 'auto';
  return withOptions(out, part.providerOptions);
}

function filePart(part: FilePart, index: number): Json {
  const source = part.source;
  const out: Json = { type: 'input_file' };
  if (source.kind === 'file-id') out.file_id = source.id;
  else if (source.kind === 'url') out.file_url = source.url;
  else {
    out.filename = part.filename ?? (source.mediaType === 'application/pdf' ? `file-${index}.pdf` : `file-${index}`);
    out.file_data = toDataUrl(source.mediaType, source.data);
  }
  return withOptions(out, part.providerOptions);
}

function audioPart(part: AudioPart, warnings: Warning[]): Json | undefined {
  if (part.source.kind !== 'base64') {
    warnings.push({ code: 'unsupported-content', message: 'the Responses API takes audio only as base64 data; the audio part was not sent' });
    return undefined;
  }
  const format = part.format ?? part.source.mediaType.replace(/^audio\/(x-)?/, '').replace('mpeg', 'mp3');
  return withOptions({ type: 'input_audio', input_audio: { data: part.source.data, format } }, part.providerOptions);
}

function textPart(part: TextPart, type: 'input_text' | 'output_text'): Json {
  return withOptions(type === 'output_text' ? { type, text: part.text, annotations: [] } : { type, text: part.text }, part.providerOptions);
}

function toolOutput(part: ToolResultPart, warnings: Warning[]): string | Json[] {
  if (typeof part.content === 'string') return part.content;
  const out: Json[] = [];
  part.content.forEach((item, index) => {
    if (item.type === 'text') out.push(textPart(item, 'input_text'));
    else if (item.type === 'image') out.push(imagePart(item));
    else out.push(filePart(item, index));
  });
  if (part.isError === true) warnings.push({ code: 'lossy-conversion', message: 'the Responses API has no error flag on function outputs; the result was sent as ordinary output' });
  return out;
}

interface AssistantState {
  store: boolean;
  warnings: Warning[];
  customCalls: Set<string>;
  carriesReasoning: boolean;
}

/**
 * One assistant message → output items in order: adjacent text/refusal parts form one message
 * item; reasoning, function and custom tool calls are items of their own.
 */
function assistantItems(message: AssistantMessage, state: AssistantState, out: Json[]): void {
  let content: Json[] | undefined;
  const flush = (): void => {
    if (content === undefined) return;
    out.push(withOptions({ role: 'assistant', content }, message.providerOptions));
    content = undefined;
  };
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
        (content ??= []).push(textPart(part, 'output_text'));
        break;
      case 'refusal':
        (content ??= []).push({ type: 'refusal', refusal: part.text });
        break;
      case 'reasoning': {
        flush();
        const { itemId } = itemMetadata(part.providerMetadata);
        // Only reasoning the Responses API produced can go back to it: an encrypted blob (with
        // store: false) or a stored item id. Other providers' thinking is unreadable to it.
        if (itemId === undefined || (part.redactedData === undefined && !state.store)) {
          state.warnings.push({
            code: 'lossy-conversion',
            message:
              itemId === undefined
                ? 'reasoning from another provider cannot be sent to the Responses API and was left out'
                : 'a reasoning item without encrypted content cannot be sent back with store: false and was left out',
          });
          break;
        }
        const item: Json = { type: 'reasoning', id: itemId, summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }] };
        if (part.redactedData !== undefined) {
          item.encrypted_content = part.redactedData;
          state.carriesReasoning = true;
        }
        out.push(item);
        break;
      }
      case 'tool-call': {
        flush();
        const { custom } = itemMetadata(part.providerMetadata);
        if (custom) {
          state.customCalls.add(part.id);
          out.push(withOptions({ type: 'custom_tool_call', call_id: part.id, name: part.name, input: part.arguments }, part.providerOptions));
        } else {
          out.push(withOptions({ type: 'function_call', call_id: part.id, name: part.name, arguments: part.arguments }, part.providerOptions));
        }
        break;
      }
      default:
        state.warnings.push({ code: 'unsupported-content', message: `assistant ${part.type} content cannot be sent to the Responses API and was left out` });
    }
  }
  flush();
}

/**
 * Canonical messages → Responses `instructions` and `input` items. One leading plain system
 * message becomes `instructions`; other system messages stay input items (role system or
 * developer). Tool results become function_call_output (custom_tool_call_output for custom
 * calls). Opaque items (built-in tool calls, item references) are put back where they were.
 */
export function convertToResponsesInput(
  messages: Message[],
  options: { store: boolean; opaqueItems?: OpaqueInputItem[]; warnings: Warning[] },
): ResponsesInput {
  const result: ResponsesInput = { input: [], carriesReasoning: false };
  const state: AssistantState = { store: options.store, warnings: options.warnings, customCalls: new Set(), carriesReasoning: false };
  const opaque = [...(options.opaqueItems ?? [])].sort((a, b) => a.position - b.position);
  let nextOpaque = 0;
  const first = messages[0];
  const second = messages[1];
  let start = 0;
  if (
    first?.role === 'system' &&
    second?.role !== 'system' &&
    first.content.length === 1 &&
    first.providerOptions === undefined &&
    first.content[0]!.providerOptions === undefined &&
    !opaque.some((item) => item.position === 0)
  ) {
    result.instructions = first.content[0]!.text;
    start = 1;
  }
  const input = result.input;
  for (let index = start; index <= messages.length; index++) {
    while (nextOpaque < opaque.length && opaque[nextOpaque]!.position <= index) input.push(opaque[nextOpaque++]!.item);
    const message = messages[index];
    if (message === undefined) break;
    switch (message.role) {
      case 'system':
        input.push(
          withOptions(
            { role: message.developer ? 'developer' : 'system', content: message.content.map((part) => textPart(part, 'input_text')) },
            message.providerOptions,
          ),
        );
        break;
      case 'user': {
        const content: Json[] = [];
        message.content.forEach((part, partIndex) => {
          const converted =
            part.type === 'text'
              ? textPart(part, 'input_text')
              : part.type === 'image'
                ? imagePart(part)
                : part.type === 'file'
                  ? filePart(part, partIndex)
                  : audioPart(part, options.warnings);
          if (converted !== undefined) content.push(converted);
        });
        input.push(withOptions({ role: 'user', content }, message.providerOptions));
        break;
      }
      case 'assistant':
        assistantItems(message, state, input);
        break;
      case 'tool':
        for (const part of message.content) {
          const custom = state.customCalls.has(part.toolCallId);
          input.push(
            withOptions(
              { type: custom ? 'custom_tool_call_output' : 'function_call_output', call_id: part.toolCallId, output: toolOutput(part, options.warnings) },
              part.providerOptions ?? message.providerOptions,
            ),
          );
        }
        break;
    }
  }
  result.carriesReasoning = state.carriesReasoning;
  return result;
}
