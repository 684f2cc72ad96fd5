import type { ChatResponse } from '../../core/index.js';
import type { StreamEncoderInfo } from '../surface.js';
import { encodeAnthropicContent } from './encode-anthropic-content.js';
import { encodeAnthropicUsage } from './encode-anthropic-usage.js';
import { mapFinishReasonToAnthropic } from './map-finish-reason-to-anthropic.js';

/** A response id in Anthropic's style when the provider's is missing. */
export function messageId(id: string | undefined, info: StreamEncoderInfo): string {
  return id === undefined || id === '' ? `msg_${info.requestId}` : id;
}

/** Canonical response → an Anthropic Message (first choice; Anthropic has no alternatives). */
export function encodeMessagesResponse(response: ChatResponse, info: StreamEncoderInfo): string {
  const choice = response.choices[0];
  const extras = response.providerMetadata?.anthropic;
  const stopSequence = extras?.stop_sequence;
  const body: Record<string, unknown> = {
    id: messageId(response.id, info),
    type: 'message',
    role: 'assistant',
    model: response.model || info.model,
    content: choice === undefined ? [] : encodeAnthropicContent(choice.content),
    stop_reason: mapFinishReasonToAnthropic(choice?.finishReason),
    stop_sequence: typeof stopSequence === 'string' ? stopSequence : null,
    usage: encodeAnthropicUsage(response.usage),
  };
  return JSON.stringify(extras === undefined ? body : { ...body, ...extras, stop_sequence: body.stop_sequence });
}
