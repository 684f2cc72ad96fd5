export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  topLogprobs?: Array<{ token: string; logprob: number; bytes?: number[] | null }>;
}

/** Log probabilities for one choice (OpenAI shape: content and refusal token lists). */
export interface ChoiceLogprobs {
  content?: TokenLogprob[] | null;
  refusal?: TokenLogprob[] | null;
}
