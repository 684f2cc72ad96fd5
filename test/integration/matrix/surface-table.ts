import type { SurfaceRow } from './matrix-types.js';
import { anthropicRow } from './surface-anthropic.js';
import { bedrockRow } from './surface-bedrock.js';
import { cohereRow } from './surface-cohere.js';
import { genAiRow } from './surface-genai.js';
import { openAiRow } from './surface-openai.js';
import { responsesRow } from './surface-responses.js';

/*
 * The surface table of the cross matrix: one row per client-facing surface, driven by that
 * surface's official SDK exactly as an application would use it. Each row says how to send
 * plain text, a stream and a tool-call round trip, how to read the answer back into a `Turn`,
 * and how the SDK must see each canonical error.
 */

export const SURFACES: SurfaceRow[] = [openAiRow, anthropicRow, genAiRow, bedrockRow, cohereRow, responsesRow];
