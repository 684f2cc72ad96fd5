import type { ChoiceLogprobs, TokenLogprob } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

function candidateList(value: unknown): Array<Record<string, unknown>> {
  if (!isRecord(value) || !Array.isArray(value.candidates)) return [];
  return value.candidates.filter(isRecord);
}

/**
 * Gemini `logprobsResult` (chosenCandidates[i] with topCandidates[i].candidates) → canonical
 * token log probabilities. https://ai.google.dev/api/generate-content#LogprobsResult
 */
export function convertGeminiLogprobs(result: unknown): ChoiceLogprobs | undefined {
  if (!isRecord(result) || !Array.isArray(result.chosenCandidates)) return undefined;
  const top = Array.isArray(result.topCandidates) ? result.topCandidates : [];
  const content: TokenLogprob[] = [];
  result.chosenCandidates.forEach((chosen, index) => {
    if (!isRecord(chosen)) return;
    const token: TokenLogprob = {
      token: typeof chosen.token === 'string' ? chosen.token : '',
      logprob: typeof chosen.logProbability === 'number' ? chosen.logProbability : 0,
    };
    const alternatives = candidateList(top[index]);
    if (alternatives.length > 0) {
      token.topLogprobs = alternatives.map((item) => ({
        token: typeof item.token === 'string' ? item.token : '',
        logprob: typeof item.logProbability === 'number' ? item.logProbability : 0,
      }));
    }
    content.push(token);
  });
  return { content };
}
