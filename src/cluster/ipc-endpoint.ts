/**
 * Calls and notices over one IPC channel between the cluster primary and a worker (the channel
 * node:cluster opens; it also carries node's own messages, so ours are marked with `sy`).
 * Either side may call the other and handle calls; replies match calls by id, in any order;
 * notices expect no reply. Messages on one channel arrive in the order they were sent.
 * Messages posted during one turn of the event loop leave together in one write (under load,
 * dozens of admissions share one system call and one wake-up of the primary).
 */

/** The two ends of the channel as node exposes them: `process` in a worker, a `Worker` in the primary. */
export interface IpcPort {
  send(message: unknown): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  /** False once the channel is closed. */
  isConnected(): boolean;
}

type WireMessage =
  | { sy: 'call'; id: number; s: string; p: unknown }
  | { sy: 'reply'; id: number; r?: unknown; e?: string }
  | { sy: 'note'; s: string; p: unknown }
  | { sy: 'batch'; m: WireMessage[] };

export type CallHandler = (payload: unknown) => unknown;
export type NoticeHandler = (payload: unknown) => void;

/** The other side did not answer in time, or the channel is closed. */
export class IpcUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcUnavailableError';
  }
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  deadline: number;
}

/** Coarse timeout checks: one timer per endpoint, running only while calls wait. */
const TIMEOUT_CHECK_MS = 100;

export class IpcEndpoint {
  private readonly port: IpcPort;
  private readonly handlers = new Map<string, CallHandler>();
  private readonly noticeHandlers = new Map<string, NoticeHandler>();
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Messages of this event-loop turn, sent together (one write, one wake-up on the other side). */
  private outbox: WireMessage[] = [];
  private flushing: NodeJS.Immediate | undefined;
  private readonly listener = (message: unknown): void => this.receive(message);

  constructor(port: IpcPort) {
    this.port = port;
    port.on('message', this.listener);
  }

  get connected(): boolean {
    return !this.closed && this.port.isConnected();
  }

  /** Answer calls for `service` (a thrown error or rejected promise is sent back as the error). */
  handle(service: string, handler: CallHandler): void {
    this.handlers.set(service, handler);
  }

  onNotice(service: string, handler: NoticeHandler): void {
    this.noticeHandlers.set(service, handler);
  }

  call(service: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.connected) return Promise.reject(new IpcUnavailableError('the cluster channel is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, deadline: performance.now() + timeoutMs });
      this.watchTimeouts();
      this.post({ sy: 'call', id, s: service, p: payload });
    });
  }

  /** Send without waiting for an answer; false when the channel is closed. */
  notify(service: string, payload: unknown): boolean {
    if (!this.connected) return false;
    this.post({ sy: 'note', s: service, p: payload });
    return true;
  }

  private post(message: WireMessage): void {
    this.outbox.push(message);
    this.flushing ??= setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.flushing = undefined;
    const messages = this.outbox;
    this.outbox = [];
    if (messages.length === 0 || !this.connected) return;
    try {
      this.port.send(messages.length === 1 ? messages[0] : ({ sy: 'batch', m: messages } satisfies WireMessage));
    } catch (error) {
      // The channel broke between the check and the write: the waiting calls cannot be answered.
      this.close(`cannot send on the cluster channel: ${(error as Error).message}`);
    }
  };

  /** Stop listening; calls still waiting fail. */
  close(reason = 'the cluster channel closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.port.off('message', this.listener);
    if (this.flushing !== undefined) clearImmediate(this.flushing);
    this.outbox = [];
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const call of waiting) call.reject(new IpcUnavailableError(reason));
  }

  private watchTimeouts(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      const now = performance.now();
      for (const [id, call] of this.pending) {
        if (call.deadline <= now) {
          this.pending.delete(id);
          call.reject(new IpcUnavailableError('no answer on the cluster channel in time'));
        }
      }
      if (this.pending.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    }, TIMEOUT_CHECK_MS);
    this.timer.unref();
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || !('sy' in raw)) return;
    const message = raw as WireMessage;
    switch (message.sy) {
      case 'batch':
        for (const each of message.m) this.receive(each);
        return;
      case 'reply': {
        const call = this.pending.get(message.id);
        if (call === undefined) return;
        this.pending.delete(message.id);
        if (message.e !== undefined) call.reject(new Error(message.e));
        else call.resolve(message.r);
        return;
      }
      case 'note':
        this.noticeHandlers.get(message.s)?.(message.p);
        return;
      case 'call':
        this.answer(message.id, message.s, message.p);
        return;
    }
  }

  private answer(id: number, service: string, payload: unknown): void {
    const handler = this.handlers.get(service);
    const reply = (body: { r?: unknown; e?: string }): void => {
      if (this.connected) this.post({ sy: 'reply', id, ...body });
    };
    if (handler === undefined) return reply({ e: `no handler for "${service}"` });
    let result: unknown;
    try {
      result = handler(payload);
    } catch (error) {
      return reply({ e: (error as Error).message });
    }
    if (result instanceof Promise) {
      result.then(
        (value: unknown) => reply({ r: value }),
        (error: unknown) => reply({ e: (error as Error).message }),
      );
    } else reply({ r: result });
  }
}
