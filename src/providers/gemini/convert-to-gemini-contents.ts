import type {
  AssistantMessage,
  Message,
  ToolResultPart,
  UserContentPart,
  Warning,
} from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { convertMediaPartToGemini, type MediaConversionOptions } from './convert-media-part-to-gemini.js';
import type { GeminiContent, GeminiPart } from './gemini-wire.js';
import { decodeToolCallId, SKIP_SIGNATURE_VALIDATOR } from './thought-signature-tool-call-id.js';

type Json = Record<string, unknown>;

export interface ContentsOptions extends MediaConversionOptions {
  /** Upstream model id: Gemini 3 models get the skip-validator placeholder for lost signatures. */
  model: string;
}

export interface ConvertedContents {
  systemInstruction?: GeminiContent;
  contents: GeminiContent[];
}

const GEMINI_3 = /^(models\/)?gemini-3([.-]|$)/;

function withOptions(part: GeminiPart, options: Record<string, Record<string, unknown>> | undefined): GeminiPart {
  const own = options?.gemini;
  return own === undefined ? part : { ...part, ...own };
}

function userParts(parts: UserContentPart[], options: ContentsOptions, warnings: Warning[]): GeminiPart[] {
  return parts.map((part) =>
    part.type === 'text' ? withOptions({ text: part.text }, part.providerOptions) : convertMediaPartToGemini(part, options, warnings),
  );
}

/** Function call arguments must be a JSON object on Gemini. */
function callArguments(text: string, name: string, warnings: Warning[]): Json {
  if (text.trim() === '') return {};
  const parsed = tryParseJson(text);
  if (isRecord(parsed)) return parsed;
  warnings.push({
    code: 'lossy-conversion',
    message: `the arguments of the earlier call to "${name}" are not a JSON object; Gemini takes objects only, so they were sent as {"value": ...}`,
  });
  return { value: parsed === undefined ? text : parsed };
}

/**
 * A signature that belonged to the part after it (an empty reasoning part carrying only a
 * signature, as the decoders produce for signed text parts) is attached to the next part.
 */
function modelParts(message: AssistantMessage, options: ContentsOptions, warnings: Warning[]): GeminiPart[] {
  const out: GeminiPart[] = [];
  let pending: string | undefined;
  const push = (part: GeminiPart, ownSignature?: string): void => {
    let signature = ownSignature;
    if (pending !== undefined) {
      if (signature === undefined) signature = pending;
      else out.push({ text: '', thoughtSignature: pending });
      pending = undefined;
    }
    out.push(signature === undefined ? part : { ...part, thoughtSignature: signature });
  };
  for (const part of message.content) {
    switch (part.type) {
      case 'reasoning': {
        if (part.redactedData !== undefined) {
          warnings.push({ code: 'unsupported-content', message: 'encrypted reasoning from another provider cannot be given to Gemini and was left out' });
          break;
        }
        const signature = part.signature ?? (part.providerMetadata?.gemini?.thoughtSignature as string | undefined);
        if (part.text === '') {
          if (signature === undefined) break;
          if (part.providerMetadata?.gemini?.thought === true) {
            // An empty thought part that carried its own signature.
            push({ text: '', thought: true }, signature);
            break;
          }
          if (pending !== undefined) out.push({ text: '', thoughtSignature: pending });
          pending = signature;
          break;
        }
        push(withOptions({ text: part.text, thought: true }, part.providerOptions), signature);
        break;
      }
      case 'text':
      case 'refusal':
        push(withOptions({ text: part.text }, part.providerOptions));
        break;
      case 'tool-call': {
        const decoded = decodeToolCallId(part.id);
        const signature = (part.providerMetadata?.gemini?.thoughtSignature as string | undefined) ?? decoded.signature;
        const call = { name: part.name, args: callArguments(part.arguments, part.name, warnings) };
        push(withOptions({ functionCall: call }, part.providerOptions), signature);
        break;
      }
      case 'image':
      case 'audio':
        push(convertMediaPartToGemini(part, options, warnings));
        break;
    }
  }
  if (pending !== undefined) out.push({ text: '', thoughtSignature: pending });
  return out;
}

/**
 * The function response body. Gemini wants an object: JSON object results are sent as they
 * are, anything else under "output" (or "error" for failed calls), as Google documents for
 * FunctionResponse.response.
 */
function functionResponseBody(part: ToolResultPart): Json {
  const text =
    typeof part.content === 'string'
      ? part.content
      : part.content
          .filter((item) => item.type === 'text')
          .map((item) => (item as { text: string }).text)
          .join('');
  const parsed = tryParseJson(text);
  if (part.isError) return { error: parsed === undefined ? text : parsed };
  if (isRecord(parsed)) return parsed;
  return { output: parsed === undefined ? text : parsed };
}

function toolResultParts(
  part: ToolResultPart,
  names: Map<string, string>,
  path: string,
  options: ContentsOptions,
  warnings: Warning[],
): GeminiPart[] {
  const name = part.name ?? names.get(part.toolCallId) ?? names.get(decodeToolCallId(part.toolCallId).baseId);
  if (name === undefined) {
    throw invalidRequest(
      `The tool result for call "${decodeToolCallId(part.toolCallId).baseId}" matches no earlier tool call; Gemini needs the function name of every result.`,
      path,
    );
  }
  const out: GeminiPart[] = [withOptions({ functionResponse: { name, response: functionResponseBody(part) } }, part.providerOptions)];
  if (typeof part.content !== 'string') {
    for (const item of part.content) if (item.type !== 'text') out.push(convertMediaPartToGemini(item, options, warnings));
  }
  return out;
}

/** Give Gemini 3 a placeholder signature for function calls whose signature was lost. */
function fillMissingSignatures(contents: GeminiContent[], warnings: Warning[]): void {
  const unsigned: string[] = [];
  for (const content of contents) {
    if (content.role !== 'model') continue;
    const first = content.parts?.find((part) => part.functionCall !== undefined);
    if (first !== undefined && first.thoughtSignature === undefined) {
      first.thoughtSignature = SKIP_SIGNATURE_VALIDATOR;
      unsigned.push(first.functionCall?.name ?? '?');
    }
  }
  if (unsigned.length > 0) {
    warnings.push({
      code: 'lossy-conversion',
      message: `earlier calls to ${unsigned.map((name) => `"${name}"`).join(', ')} carry no thought signature (written by another model or stripped by the client); Gemini 3 was told to skip signature validation, which may lower answer quality`,
    });
  }
}

/**
 * Canonical messages → Gemini `systemInstruction` and `contents`. System messages anywhere
 * become the system instruction; assistant turns become `model` contents; tool results become
 * `functionResponse` parts in `user` contents, named after the call they answer (Gemini matches
 * results by name and order, not by id). Consecutive contents of one role are merged.
 */
export function convertToGeminiContents(messages: Message[], options: ContentsOptions, warnings: Warning[]): ConvertedContents {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-call') continue;
      names.set(part.id, part.name);
      names.set(decodeToolCallId(part.id).baseId, part.name);
    }
  }
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  let conversationStarted = false;
  let lateSystem = false;
  let namedMessage = false;
  const append = (role: 'user' | 'model', parts: GeminiPart[], extra: Json | undefined): void => {
    const last = contents.at(-1);
    if (last !== undefined && last.role === role) last.parts!.push(...parts);
    else contents.push(extra === undefined ? { role, parts } : { ...extra, role, parts });
  };
  messages.forEach((message, index) => {
    if (message.name !== undefined) namedMessage = true;
    const extra = message.providerOptions?.gemini;
    switch (message.role) {
      case 'system':
        if (conversationStarted) lateSystem = true;
        for (const part of message.content) system.push(withOptions({ text: part.text }, part.providerOptions));
        break;
      case 'user':
        conversationStarted = true;
        append('user', userParts(message.content, options, warnings), extra);
        break;
      case 'assistant':
        conversationStarted = true;
        append('model', modelParts(message, options, warnings), extra);
        break;
      case 'tool':
        conversationStarted = true;
        append(
          'user',
          message.content.flatMap((part) => toolResultParts(part, names, `messages[${index}]`, options, warnings)),
          extra,
        );
        break;
    }
  });
  if (lateSystem) {
    warnings.push({
      code: 'lossy-conversion',
      param: 'messages',
      message: 'Gemini has one system instruction; system messages from the middle of the conversation were moved into it',
    });
  }
  if (namedMessage) {
    warnings.push({ code: 'unsupported-parameter', param: 'name', message: 'Gemini has no participant names on messages; they were not sent' });
  }
  if (GEMINI_3.test(options.model)) fillMissingSignatures(contents, warnings);
  const converted: ConvertedContents = { contents };
  if (system.length > 0) converted.systemInstruction = { parts: system };
  return converted;
}
