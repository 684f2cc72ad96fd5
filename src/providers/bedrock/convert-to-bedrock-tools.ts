import type { Message, Tool, ToolChoice, Warning } from '../../core/index.js';
import { cachePoint } from './convert-to-bedrock-content.js';

type Json = Record<string, unknown>;

function historyHasToolBlocks(messages: readonly Message[]): boolean {
  return messages.some((message) => message.content.some((part) => part.type === 'tool-call' || part.type === 'tool-result'));
}

/**
 * Canonical tools and tool choice → Converse `toolConfig`
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolConfiguration.html).
 * Choices: auto → `{auto:{}}`, required → `{any:{}}`, one tool → `{tool:{name}}`. Converse has
 * no "none": the tools are left out, which forbids calls just the same, unless the history holds
 * tool calls (Bedrock then requires the tool definitions) — then "none" cannot be enforced and
 * that is reported. Bedrock tools (`systemTool`) pass through; other vendors' tools are reported.
 */
export function convertToBedrockToolConfig(
  tools: readonly Tool[] | undefined,
  choice: ToolChoice | undefined,
  messages: readonly Message[],
  providerName: string,
  warnings: Warning[],
): Json | undefined {
  const specs: Json[] = [];
  for (const tool of tools ?? []) {
    if (tool.type === 'function') {
      const spec: Json = { name: tool.name };
      if (tool.description !== undefined) spec.description = tool.description;
      spec.inputSchema = { json: tool.parameters };
      if (tool.strict !== undefined) spec.strict = tool.strict;
      const own = tool.providerOptions?.bedrock;
      specs.push(own === undefined ? { toolSpec: spec } : { toolSpec: { ...spec, ...own } });
      if (tool.cacheControl !== undefined) specs.push(cachePoint(tool.cacheControl));
    } else if (tool.provider === 'bedrock') {
      specs.push(tool.spec);
    } else {
      warnings.push({
        code: 'unsupported-parameter',
        param: 'tools',
        message: `the ${tool.provider} tool "${tool.name}" is not available on ${providerName} and was not sent`,
      });
    }
  }
  if (specs.length === 0) {
    if (choice !== undefined && choice.type !== 'auto' && choice.type !== 'none') {
      warnings.push({ code: 'unsupported-parameter', param: 'tool_choice', message: `tool_choice needs tools; none were sent to ${providerName}` });
    }
    return undefined;
  }
  if (choice?.type === 'none') {
    if (!historyHasToolBlocks(messages)) return undefined;
    warnings.push({
      code: 'lossy-conversion',
      param: 'tool_choice',
      message: `${providerName} cannot forbid tool calls while the conversation holds tool calls; tool_choice "none" was not enforced`,
    });
    return { tools: specs };
  }
  const config: Json = { tools: specs };
  if (choice?.type === 'auto') config.toolChoice = { auto: {} };
  else if (choice?.type === 'required') config.toolChoice = { any: {} };
  else if (choice?.type === 'tool') config.toolChoice = { tool: { name: choice.name } };
  return config;
}
