import type { Logger } from 'pino';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { ResponsesStore, StoredResponse } from '../../store/responses-store.js';
import { isRecord } from '../../json/parse-json.js';
import { newItemId } from './response-ids.js';
import { RESPONSES_STATE, type ResponsesState } from './responses-state.js';

const ITEM_PREFIX: Record<string, string> = { message: 'msg', function_call: 'fc', function_call_output: 'fco', reasoning: 'rs', custom_tool_call: 'ctc' };

/** This turn's input items as input_items lists them: each with an id and a type. */
export function inputItemsWithIds(items: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return items.map((item) => {
    const type = typeof item.type === 'string' ? item.type : 'message';
    const content = type === 'message' && typeof item.content === 'string' ? [{ type: 'input_text', text: item.content }] : item.content;
    return {
      id: typeof item.id === 'string' ? item.id : newItemId(ITEM_PREFIX[type] ?? 'item'),
      ...item,
      type,
      ...(content === undefined ? {} : { content }),
    };
  });
}

export interface StoreResponseDeps {
  store: ResponsesStore;
  retentionMs: number;
  enabled: boolean;
  pending: Map<string, Promise<void>>;
  logger: Logger;
}

/**
 * After a canonical Responses request completed: keep the turn (input and output, canonical)
 * unless the client said `store: false`, the gateway's store is off, or the provider keeps the
 * chain itself. Failures are logged; the client already has its answer.
 */
export async function storeResponse(context: RequestContext, deps: StoreResponseDeps): Promise<void> {
  const state = context.state.get(RESPONSES_STATE) as ResponsesState | undefined;
  if (state?.final === undefined || !state.info.store || state.upstreamChain || !deps.enabled || context.record.status !== 200) return;
  const response = state.final.response;
  if (typeof response.id !== 'string' || !isRecord(response)) return;
  const record: StoredResponse = {
    id: response.id,
    owner: state.owner,
    previousResponseId: state.info.previousResponseId ?? null,
    createdAt: typeof response.created_at === 'number' ? response.created_at : Math.floor(Date.now() / 1000),
    expiresAt: Date.now() + deps.retentionMs,
    model: typeof response.model === 'string' ? response.model : '',
    input: state.info.input,
    output: [{ role: 'assistant', content: state.final.content }],
    inputItems: inputItemsWithIds(state.info.items),
    response,
  };
  const write = deps.store.put(record).catch((error: unknown) => {
    deps.logger.error({ err: error, requestId: context.record.id, responseId: record.id }, 'storing the response failed');
  });
  deps.pending.set(record.id, write);
  try {
    await write;
  } finally {
    deps.pending.delete(record.id);
  }
}
