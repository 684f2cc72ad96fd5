import type { ChatRequest, Warning } from '../../core/index.js';
import { cacheControl } from './convert-to-anthropic-content.js';

type Json = Record<string, unknown>;

export interface AnthropicTools {
  tools?: Json[];
  toolChoice?: Json;
}

/**
 * Canonical tools and tool choice → Anthropic `tools` / `tool_choice`. Function tools take
 * `input_schema`; Anthropic's own tools (web_search, code_execution, bash, text_editor,
 * computer, ...) arrive as provider tools of family "anthropic" and are sent as they are.
 * required → {type: "any"}; parallelToolCalls=false → disable_parallel_tool_use.
 */
export function convertToAnthropicTools(request: ChatRequest, providerName: string, warnings: Warning[]): AnthropicTools {
  const tools: Json[] = [];
  for (const tool of request.tools ?? []) {
    if (tool.type === 'function') {
      const converted: Json = { name: tool.name };
      if (tool.description !== undefined) converted.description = tool.description;
      converted.input_schema = tool.parameters;
      if (tool.strict !== undefined) converted.strict = tool.strict;
      if (tool.cacheControl !== undefined) converted.cache_control = cacheControl(tool.cacheControl);
      const own = tool.providerOptions?.anthropic;
      tools.push(own === undefined ? converted : { ...converted, ...own });
    } else if (tool.provider === 'anthropic') {
      tools.push(tool.spec);
    } else {
      warnings.push({
        code: 'unsupported-parameter',
        param: 'tools',
        message: `the ${tool.provider} tool "${tool.name}" is not available on ${providerName} and was not sent`,
      });
    }
  }
  const out: AnthropicTools = {};
  if (tools.length > 0) out.tools = tools;
  const choice = request.toolChoice;
  const noParallel = request.parallelToolCalls === false;
  if (choice !== undefined && tools.length === 0 && (choice.type === 'required' || choice.type === 'tool')) {
    warnings.push({ code: 'unsupported-parameter', param: 'tool_choice', message: 'tool_choice asks for a tool call but no tool was sent; it was not sent' });
    return out;
  }
  if (tools.length === 0) return out;
  if (choice !== undefined) {
    const converted: Json =
      choice.type === 'tool' ? { type: 'tool', name: choice.name } : { type: choice.type === 'required' ? 'any' : choice.type };
    if (noParallel && choice.type !== 'none') converted.disable_parallel_tool_use = true;
    out.toolChoice = converted;
  } else if (noParallel) {
    out.toolChoice = { type: 'auto', disable_parallel_tool_use: true };
  }
  return out;
}
