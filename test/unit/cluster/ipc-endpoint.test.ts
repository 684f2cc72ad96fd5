import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { IpcEndpoint, IpcUnavailableError, type IpcPort } from '../../../src/cluster/ipc-endpoint.js';

/** Two connected ports; messages cross as JSON, asynchronously and in order, like node's IPC. */
function pipe(): { left: IpcPort; right: IpcPort; cut(): void } {
  const leftEvents = new EventEmitter();
  const rightEvents = new EventEmitter();
  let connected = true;
  const port = (own: EventEmitter, other: EventEmitter): IpcPort => ({
    send(message) {
      if (!connected) throw new Error('channel closed');
      const text = JSON.stringify(message);
      setImmediate(() => other.emit('message', JSON.parse(text)));
      return true;
    },
    on: (event, listener) => own.on(event, listener),
    off: (event, listener) => own.off(event, listener),
    isConnected: () => connected,
  });
  return { left: port(leftEvents, rightEvents), right: port(rightEvents, leftEvents), cut: () => (connected = false) };
}

describe('IpcEndpoint', () => {
  it('answers calls in either direction and matches replies to calls by id', async () => {
    const { left, right } = pipe();
    const worker = new IpcEndpoint(left);
    const primary = new IpcEndpoint(right);
    primary.handle('double', (payload) => (payload as number) * 2);
    // An asynchronous handler that answers after a later call has already been answered.
    primary.handle('slow', (payload) => new Promise((resolve) => setTimeout(() => resolve(`slow ${String(payload)}`), 30)));
    worker.handle('name', () => 'worker-1');
    const slow = worker.call('slow', 'a', 1000);
    const [doubled, name] = await Promise.all([worker.call('double', 21, 1000), primary.call('name', null, 1000)]);
    expect(doubled).toBe(42);
    expect(name).toBe('worker-1');
    expect(await slow).toBe('slow a');
  });

  it('sends errors back to the caller, and refuses services nobody handles', async () => {
    const { left, right } = pipe();
    const worker = new IpcEndpoint(left);
    const primary = new IpcEndpoint(right);
    primary.handle('fail', () => {
      throw new Error('counter table exploded');
    });
    primary.handle('reject', () => Promise.reject(new Error('later failure')));
    await expect(worker.call('fail', null, 1000)).rejects.toThrow('counter table exploded');
    await expect(worker.call('reject', null, 1000)).rejects.toThrow('later failure');
    await expect(worker.call('unknown', null, 1000)).rejects.toThrow('no handler for "unknown"');
  });

  it('delivers notices in order with calls on the same channel', async () => {
    const { left, right } = pipe();
    const worker = new IpcEndpoint(left);
    const primary = new IpcEndpoint(right);
    let total = 0;
    primary.onNotice('add', (payload) => (total += payload as number));
    primary.handle('total', () => total);
    worker.notify('add', 5);
    worker.notify('add', 7);
    expect(await worker.call('total', null, 1000)).toBe(12);
  });

  it('fails a call that gets no answer in time, without hanging', async () => {
    const { left, right } = pipe();
    const worker = new IpcEndpoint(left);
    const primary = new IpcEndpoint(right);
    primary.handle('never', () => new Promise(() => undefined));
    const started = Date.now();
    await expect(worker.call('never', null, 150)).rejects.toBeInstanceOf(IpcUnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails waiting calls when closed, and new calls once the channel is gone', async () => {
    const { left, right, cut } = pipe();
    const worker = new IpcEndpoint(left);
    const primary = new IpcEndpoint(right);
    primary.handle('never', () => new Promise(() => undefined));
    const waiting = worker.call('never', null, 10_000);
    worker.close('the worker exited');
    await expect(waiting).rejects.toThrow('the worker exited');
    const other = new IpcEndpoint(left);
    cut();
    expect(other.connected).toBe(false);
    await expect(other.call('never', null, 1000)).rejects.toBeInstanceOf(IpcUnavailableError);
    expect(other.notify('anything', null)).toBe(false);
  });
});
