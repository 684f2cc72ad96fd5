import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { registerGenAiRoutes } from '../../../src/api/genai/routes.js';
import { RouteTable } from '../../../src/server/route-table.js';
import { startTestGateway } from '../../helpers/in-process-gateway.js';

describe('route parameters', () => {
  it('a malformed percent escape in a routed segment is a 4xx, not an uncaught URIError', async () => {
    const gateway = await startTestGateway({ providers: {} });
    try {
      const answer = await request(`${gateway.url}/bedrock/model/%E0%A4%A/converse`, { method: 'POST', body: '{"messages":[]}' });
      expect(answer.statusCode).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode).toBeLessThan(600);
      await answer.body.text();
      expect((await request(`${gateway.url}/health`)).statusCode).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});

describe('GenAI model paths', () => {
  it('the method follows the last colon, so model ids holding colons (Bedrock) route', () => {
    const routes = new RouteTable();
    registerGenAiRoutes(routes);
    const post = routes.match('POST', '/genai/v1beta/models/bedrock/us.amazon.nova-micro-v1:0:streamGenerateContent');
    expect(post !== undefined && 'route' in post ? [post.route.operation, post.params.model] : post).toEqual(['chat', 'bedrock/us.amazon.nova-micro-v1:0']);
    const get = routes.match('GET', '/genai/v1beta/models/bedrock%2Fus.amazon.nova-micro-v1:0');
    expect(get !== undefined && 'route' in get ? get.params.model : get).toBe('bedrock/us.amazon.nova-micro-v1:0');
    expect(routes.match('GET', '/genai/v1beta/models/gemini-2.5-flash:generateContent')).toEqual({ allowed: ['POST'] });
    expect(routes.match('POST', '/genai/v1beta/models/gemini-2.5-flash:predictLongRunning')).toBeUndefined();
    const tagged = routes.match('GET', '/genai/v1beta/models/ollama/llama3:latest');
    expect(tagged !== undefined && 'route' in tagged ? tagged.params.model : tagged).toBe('ollama/llama3:latest');
  });
});
