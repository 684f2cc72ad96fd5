import { invalidRequest } from '../../core/index.js';

/** Where a Gemini-dialect provider takes each operation, as path (and query) under its origin. */
export interface GeminiEndpoints {
  generate(model: string, stream: boolean): string;
  embed(model: string, batch: boolean): string;
  countTokens(model: string): string;
}

/**
 * Model ids go into the URL path, and they come from the client: only plain resource names are
 * accepted (letters, digits, "._-@", "/"-separated, no ".." segments), so a model name can
 * neither add a query string nor walk to another API path.
 */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*(\/[A-Za-z0-9][A-Za-z0-9._@-]*)*$/;

export function checkModelName(model: string): string {
  if (!MODEL_NAME.test(model) || model.split('/').includes('..')) {
    throw invalidRequest(`"${model}" is not a valid Gemini model name`, 'model');
  }
  return model;
}

/** The Gemini API (AI Studio): {base}/models/{model}:generateContent, base defaulting to …/v1beta. */
export function geminiApiEndpoints(basePath: string): GeminiEndpoints {
  const resource = (model: string): string => {
    checkModelName(model);
    return model.startsWith('models/') || model.startsWith('tunedModels/') ? model : `models/${model}`;
  };
  return {
    generate: (model, stream) =>
      `${basePath}/${resource(model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    embed: (model, batch) => `${basePath}/${resource(model)}:${batch ? 'batchEmbedContents' : 'embedContent'}`,
    countTokens: (model) => `${basePath}/${resource(model)}:countTokens`,
  };
}

/**
 * Vertex AI: {base}/projects/{project}/locations/{region}/publishers/google/models/{model}:…
 * with base defaulting to https://{region}-aiplatform.googleapis.com/v1 (aiplatform.googleapis.com
 * for the global region). Full resource names ("projects/…", "publishers/…/models/…") are used
 * as given, for tuned models and other publishers.
 */
export function vertexEndpoints(basePath: string, project: string, region: string): GeminiEndpoints {
  const location = `projects/${project}/locations/${region}`;
  const resource = (model: string): string => {
    checkModelName(model);
    if (model.startsWith('projects/')) return model;
    if (model.startsWith('publishers/')) return `${location}/${model}`;
    return `${location}/publishers/google/models/${model}`;
  };
  return {
    generate: (model, stream) =>
      `${basePath}/${resource(model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    embed: (model) => `${basePath}/${resource(model)}:predict`,
    countTokens: (model) => `${basePath}/${resource(model)}:countTokens`,
  };
}

/** The Vertex AI host for a region. */
export function vertexBaseUrl(region: string): string {
  return region === 'global' ? 'https://aiplatform.googleapis.com/v1' : `https://${region}-aiplatform.googleapis.com/v1`;
}
