import { request } from 'undici';
import { describe, expect, it } from 'vitest';
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
