import type { AssistantContentPart, ChatRequest, ChatResponse } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { imageFormat } from '../../providers/bedrock/bedrock-media-formats.js';
import type { StreamEncoderInfo } from '../surface.js';
import { encodeConverseUsage } from './encode-converse-usage.js';
import { mapFinishReasonToBedrock } from './map-finish-reason-to-bedrock.js';

type Json = Record<string, unknown>;

/** Response fields a Bedrock provider reported that go back to the client unchanged. */
const PASSED_FIELDS = ['trace', 'additionalModelResponseFields', 'performanceConfig', 'serviceTier'];

/** Canonical assistant parts → Converse content blocks. */
export function encodeConverseContent(parts: readonly AssistantContentPart[]): Json[] {
  const blocks: Json[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
      case 'refusal':
        blocks.push({ text: part.text });
        break;
      case 'reasoning':
        if (part.redactedData !== undefined) blocks.push({ reasoningContent: { redactedContent: part.redactedData } });
        else blocks.push({ reasoningContent: { reasoningText: part.signature === undefined ? { text: part.text } : { text: part.text, signature: part.signature } } });
        break;
      case 'tool-call': {
        const input = part.arguments.trim() === '' ? {} : tryParseJson(part.arguments);
        // Arguments that are not JSON go as the string they are (a Converse input is any JSON value).
        blocks.push({ toolUse: { toolUseId: part.id, name: part.name, input: input ?? part.arguments } });
        break;
      }
      case 'image':
        if (part.source.kind === 'base64') blocks.push({ image: { format: imageFormat(part.source.mediaType) ?? 'png', source: { bytes: part.source.data } } });
        break;
      case 'audio':
        break;
    }
  }
  return blocks;
}

export function latencyMs(info: StreamEncoderInfo, reported: unknown): number {
  if (isRecord(reported) && typeof reported.latencyMs === 'number') return reported.latencyMs;
  return info.startedAt === undefined ? 0 : Math.max(0, Math.round(performance.now() - info.startedAt));
}

/** Canonical response → the Converse response body the AWS SDK deserializes. */
export function encodeConverseResponse(response: ChatResponse, _request: ChatRequest, info: StreamEncoderInfo): string {
  const choice = response.choices[0];
  const bedrock = response.providerMetadata?.bedrock ?? {};
  const body: Json = {
    output: { message: { role: 'assistant', content: encodeConverseContent(choice?.content ?? []) } },
    stopReason: mapFinishReasonToBedrock(choice?.finishReason),
    usage: encodeConverseUsage(response.usage),
    metrics: { latencyMs: latencyMs(info, bedrock.metrics) },
  };
  for (const field of PASSED_FIELDS) if (bedrock[field] !== undefined) body[field] = bedrock[field];
  return JSON.stringify(body);
}
