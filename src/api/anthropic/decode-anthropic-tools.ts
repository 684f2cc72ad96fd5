import type { ChatRequest, Tool, ToolChoice } from '../../core/index.js';
import { optBoolean, optString, readArray, readEnum, readObject, readString, requireField, unknownFields } from '../../json/request-reader.js';
import { decodeCacheControl } from './decode-anthropic-blocks.js';

const CUSTOM_TOOL_FIELDS = new Set(['type', 'name', 'description', 'input_schema', 'cache_control', 'strict']);

/**
 * Anthropic `tools` → canonical. Custom tools (no type, or type "custom") become function tools;
 * Anthropic's own typed tools (web_search_20250305, bash_20250124, text_editor_*, computer_*,
 * code_execution_*, ...) become provider tools of family "anthropic", passed through unchanged.
 */
export function decodeAnthropicTools(value: unknown): Tool[] {
  return readArray(value, 'tools').map((item, index): Tool => {
    const path = `tools.${index}`;
    const tool = readObject(item, path);
    const type = optString(tool.type, `${path}.type`);
    if (type !== undefined && type !== 'custom') {
      return { type: 'provider', provider: 'anthropic', name: typeof tool.name === 'string' ? tool.name : type, spec: tool };
    }
    const name = readString(requireField(tool, 'name', `${path}.name`), `${path}.name`);
    const schema = readObject(requireField(tool, 'input_schema', `${path}.input_schema`), `${path}.input_schema`);
    const description = optString(tool.description, `${path}.description`);
    const strict = optBoolean(tool.strict, `${path}.strict`);
    const cacheControl = decodeCacheControl(tool.cache_control, `${path}.cache_control`);
    const extra = unknownFields(tool, CUSTOM_TOOL_FIELDS);
    return {
      type: 'function',
      name,
      parameters: schema,
      ...(description === undefined ? {} : { description }),
      ...(strict === undefined ? {} : { strict }),
      ...(cacheControl === undefined ? {} : { cacheControl }),
      ...(extra === undefined ? {} : { providerOptions: { anthropic: extra } }),
    };
  });
}

/** `tool_choice` → canonical choice; disable_parallel_tool_use → parallelToolCalls = false. */
export function decodeAnthropicToolChoice(value: unknown, request: ChatRequest): void {
  const choice = readObject(value, 'tool_choice');
  const type = readEnum(choice.type, 'tool_choice.type', ['auto', 'any', 'tool', 'none'] as const);
  const converted: ToolChoice =
    type === 'tool'
      ? { type: 'tool', name: readString(requireField(choice, 'name', 'tool_choice.name'), 'tool_choice.name') }
      : { type: type === 'any' ? 'required' : type };
  request.toolChoice = converted;
  const disable = optBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use');
  if (disable !== undefined) request.parallelToolCalls = !disable;
}
