import type {
  AssistantContentPart,
  SystemContentPart,
  ToolContentPart,
  UserContentPart,
} from './content-part.js';
import type { ProviderOptions } from './provider-options.js';

interface MessageBase {
  /** Participant name (OpenAI `name`). */
  name?: string;
  /** Vendor-only or unrecognised fields of the message, by dialect family. */
  providerOptions?: ProviderOptions;
}

/** System instructions. OpenAI `developer` messages are system messages with `developer: true`. */
export interface SystemMessage extends MessageBase {
  role: 'system';
  content: SystemContentPart[];
  developer?: boolean;
}

export interface UserMessage extends MessageBase {
  role: 'user';
  content: UserContentPart[];
}

export interface AssistantMessage extends MessageBase {
  role: 'assistant';
  content: AssistantContentPart[];
}

/** Tool results. Surfaces that put results in user messages (Anthropic) split them out. */
export interface ToolMessage extends MessageBase {
  role: 'tool';
  content: ToolContentPart[];
}

export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;
