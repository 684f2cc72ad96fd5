/**
 * Stands for "the regional Vertex AI endpoint" in the provider definition; the real base URL
 * depends on the configured region and is worked out when the provider is created.
 */
export const VERTEX_BASE_URL_PLACEHOLDER = 'https://region-aiplatform.googleapis.com';

/**
 * The Vertex AI endpoint for a region: `https://{region}-aiplatform.googleapis.com`, the global
 * endpoint `https://aiplatform.googleapis.com` for "global", and the multi-region endpoints for
 * "us" and "eu" (as the official Anthropic Vertex SDK chooses them).
 */
export function vertexBaseUrl(region: string): string {
  switch (region) {
    case 'global':
      return 'https://aiplatform.googleapis.com';
    case 'us':
      return 'https://aiplatform.us.rep.googleapis.com';
    case 'eu':
      return 'https://aiplatform.eu.rep.googleapis.com';
    default:
      return `https://${region}-aiplatform.googleapis.com`;
  }
}
