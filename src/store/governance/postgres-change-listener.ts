import type pg from 'pg';
import type { Logger } from 'pino';
import { tryParseJson } from '../../json/parse-json.js';
import { pgDriver } from '../drivers.js';
import type { ChangeNotice } from './governance-store.js';

/**
 * A dedicated connection that LISTENs for change notices of other instances. When the
 * connection drops it reconnects with backoff and then reports a "seed" notice, so the owner
 * reloads everything it may have missed meanwhile.
 */
export class PostgresChangeListener {
  private readonly url: string;
  private readonly channel: string;
  private readonly instance: string;
  private readonly logger: Logger;
  private client: pg.Client | undefined;
  private listener: ((notice: ChangeNotice) => void) | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(url: string, channel: string, instance: string, logger: Logger) {
    this.url = url;
    this.channel = channel;
    this.instance = instance;
    this.logger = logger;
  }

  start(listener: (notice: ChangeNotice) => void): void {
    this.listener = listener;
    void this.connect(false);
  }

  private async connect(reconnecting: boolean): Promise<void> {
    if (this.stopped) return;
    const client = new (pgDriver().Client)({
      connectionString: this.url,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    let lost = false;
    const onLost = (error?: Error): void => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (!this.stopped) {
        this.logger.warn({ err: error }, 'PostgreSQL change listener lost its connection; reconnecting');
        this.scheduleReconnect();
      }
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel !== this.channel || message.payload === undefined) return;
      const notice = tryParseJson(message.payload) as ChangeNotice | undefined;
      if (notice === undefined || notice.instance === this.instance) return;
      this.listener?.(notice);
    });
    try {
      await client.connect();
      await client.query(`listen ${this.channel}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    if (reconnecting) this.listener?.({ instance: '', kind: 'seed', key: [] });
  }

  private scheduleReconnect(): void {
    if (this.retryTimer !== undefined) return;
    this.failures++;
    const delay = Math.min(100 * 2 ** Math.min(this.failures, 5), 2000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect(true);
    }, delay);
    this.retryTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      client.removeAllListeners('notification');
      await client.end().catch(() => undefined);
    }
  }
}
