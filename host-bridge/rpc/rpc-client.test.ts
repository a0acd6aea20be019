import { afterEach, describe, expect, it } from 'vitest';
import { createFakeTimers } from '../testing/fake-timers';
import { RpcClient, type FirmwareEvent, type EventGap, type RebootNotice } from './rpc-client';
import { RpcClosedError, RpcCorruptedError, RpcRemoteError, RpcReplyError, RpcTimeoutError, RpcUsageError } from './rpc-errors';
import { drop, FakeStrapConsole, fakeStatus, flipCharAt, frame } from './testing/fake-strap-console';

const clients: RpcClient[] = [];
/** A client on a fake strap, its request timeouts on fake time (`time`). */
function connect(options: ConstructorParameters<typeof FakeStrapConsole>[0] = {}, timeoutMs = 40) {
  const strap = new FakeStrapConsole(options);
  const time = createFakeTimers();
  const rpc = new RpcClient(strap, { timeoutMs, idPrefix: 't', timers: time });
  clients.push(rpc);
  return { strap, rpc, time };
}
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
/** Flips a byte of the frame's method name (statement: strap.rpc("t1|method|params|crc")): the CRC no longer matches. */
const damageParams = (line: string) => flipCharAt(line.indexOf('|') + 1)(line);

describe('RpcClient calls over the console', () => {
  it('sends the call as a strap.rpc statement and resolves with the result', async () => {
    const { strap, rpc } = connect();
    await expect(rpc.status()).resolves.toEqual(fakeStatus(1));
    expect(strap.sent[0]).toMatch(/^strap\.rpc\("t1\|status\|null\|[0-9a-f]{8}"\)$/);
  });

  it('rejects with a typed error carrying the code the strap answered', async () => {
    const notFound = () => {
      throw { code: 'not-found', message: 'x.js' };
    };
    const { rpc } = connect({ methods: { 'storage.crc32': notFound } });
    const error = await rpc.callAny('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect(error).toMatchObject({ code: 'unknown-method', method: 'nope', detail: 'nope' });
    await expect(rpc.storageCrc32('x.js')).rejects.toMatchObject({ code: 'not-found', detail: 'x.js' });
  });

  it('retries a request the strap refused as damaged, with the same id, and runs the method once', async () => {
    const { strap, rpc } = connect();
    strap.requestFaults.push(damageParams);
    await expect(rpc.ping({ n: 1 })).resolves.toMatchObject({ echo: { n: 1 } });
    expect(strap.sent).toHaveLength(2);
    expect(strap.sent[1]).toBe(strap.sent[0]);
    expect(strap.runs.ping).toBe(1);
    expect(rpc.stats.retries).toBe(1);
  });

  it('retries when the reply arrives damaged and gets the cached reply, without running the method again', async () => {
    const { strap, rpc } = connect();
    strap.lineFaults.push((line) => line.replace('"mode"', '"mude"'));
    await expect(rpc.status()).resolves.toMatchObject({ mode: 'normal' });
    expect(strap.runs.status).toBe(1);
    expect(rpc.stats.corruptFrames).toBe(1);
  });

  it('retries after a timeout when the reply is lost, answered from the strap reply cache', async () => {
    const { strap, rpc, time } = connect();
    strap.lineFaults.push(drop);
    await expect(time.settle(rpc.status())).resolves.toMatchObject({ mode: 'normal' });
    expect(strap.runs.status).toBe(1);
    expect(rpc.stats.timeouts).toBe(1);
  });

  it('interrupts the console (Ctrl-C) before retrying a timed-out request, not after a damaged one', async () => {
    const { strap, rpc, time } = connect();
    let interrupts = 0;
    strap.interrupt = async () => void interrupts++;
    strap.requestFaults.push(drop);
    await expect(time.settle(rpc.status())).resolves.toMatchObject({ mode: 'normal' });
    expect(interrupts).toBe(1);
    strap.requestFaults.push(damageParams);
    await expect(rpc.status()).resolves.toMatchObject({ mode: 'normal' });
    expect(interrupts).toBe(1);
  });

  it('retries even when the interrupt never completes', async () => {
    const { strap, rpc, time } = connect();
    strap.interrupt = () => new Promise<void>(() => undefined);
    strap.requestFaults.push(drop);
    await expect(time.settle(rpc.status())).resolves.toMatchObject({ mode: 'normal' });
    expect(rpc.stats.retries).toBe(1);
  });

  it('gives up with RpcTimeoutError after the retries, naming the attempts', async () => {
    const { strap, rpc, time } = connect();
    strap.requestFaults.push(drop, drop, drop);
    const error = await time.settle(rpc.status()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error).toMatchObject({ attempts: 3, method: 'status' });
  });

  it('gives up with RpcCorruptedError when every attempt is damaged', async () => {
    const { strap, rpc } = connect();
    strap.requestFaults.push(damageParams, damageParams, damageParams);
    await expect(rpc.status()).rejects.toBeInstanceOf(RpcCorruptedError);
    expect(strap.runs.status).toBeUndefined();
  });

  it('checks the result against the contract: a reply that does not fit is an RpcReplyError naming the field', async () => {
    const { strap, rpc } = connect({ methods: { status: () => ({ ...fakeStatus(1), battV: '4.2' }), 'power.status': () => ({ mode: 'asleep' }) } });
    const error = await rpc.status().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcReplyError);
    expect(error).toMatchObject({ code: 'protocol', method: 'status', field: 'battV' });
    expect((error as Error).message).toMatch(/battV: expected a number, got "4.2"/);
    await expect(rpc.powerStatus()).rejects.toMatchObject({ code: 'protocol', field: 'mode' });
    // Checked by name too, and not retried: the strap answered, once.
    await expect(rpc.callAny('status')).rejects.toMatchObject({ field: 'battV' });
    expect(strap.runs.status).toBe(2);
  });

  it('accepts a result with a field the contract does not name (a newer firmware)', async () => {
    const { rpc } = connect({ methods: { status: () => ({ ...fakeStatus(1), newField: 1 }) } });
    await expect(rpc.status()).resolves.toMatchObject({ newField: 1 });
  });

  it('sends reboot once, never retried', async () => {
    const { strap, rpc, time } = connect({ methods: { reboot: () => ({ inMs: 100 }) } });
    strap.lineFaults.push(drop);
    await expect(time.settle(rpc.reboot())).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(strap.sent).toHaveLength(1);
  });

  it('refuses a call it cannot frame without sending anything', async () => {
    const { strap, rpc } = connect();
    await expect(rpc.callAny('bad method')).rejects.toBeInstanceOf(RpcUsageError);
    expect(strap.sent).toEqual([]);
  });

  it('keeps one request on the wire at a time and answers each call with its own reply', async () => {
    const { strap, rpc } = connect();
    const results = await Promise.all([rpc.ping(1), rpc.ping(2), rpc.ping(3)]);
    expect(results.map((r) => r.echo)).toEqual([1, 2, 3]);
    expect(strap.sent.map((s) => /"(t\w+)\|/.exec(s)![1])).toEqual(['t1', 't2', 't3']);
  });

  it('ignores a late reply to an earlier request', async () => {
    const { strap, rpc } = connect();
    strap.line(frame('R|t99|1|"stale"'));
    await expect(rpc.ping('x')).resolves.toMatchObject({ echo: 'x' });
    expect(rpc.stats.staleReplies).toBe(1);
  });

  it('passes log lines through and is not confused by noise or half lines', async () => {
    const { strap, rpc } = connect();
    const logs: string[] = [];
    rpc.on('log', (l) => logs.push(l));
    strap.line('[btn] press 93ms');
    strap.line('\x1eR|t1|1|{"fw":"str');
    strap.line('#@!garbage\x1e\x1e');
    await expect(rpc.status()).resolves.toMatchObject({ mode: 'normal' });
    expect(logs).toEqual(['[btn] press 93ms', '#@!garbage']);
  });

  it('rejects pending and later calls once closed', async () => {
    const { strap, rpc } = connect({}, 1000);
    strap.requestFaults.push(drop);
    const pending = rpc.status();
    rpc.close();
    await expect(pending).rejects.toBeInstanceOf(RpcClosedError);
    await expect(rpc.status()).rejects.toBeInstanceOf(RpcClosedError);
  });

  it('rejects with RpcClosedError when the console cannot send', async () => {
    const { strap, rpc } = connect();
    strap.send = () => Promise.reject(new Error('port closed'));
    await expect(rpc.status()).rejects.toThrow(/could not send: port closed/);
  });
});

describe('RpcClient event stream', () => {
  it('delivers events after subscribing, in order, with boot and seq', async () => {
    const { strap, rpc } = connect();
    const events: FirmwareEvent[] = [];
    rpc.on('event', (e) => events.push(e));
    strap.event('ignored', {});
    await rpc.subscribe();
    strap.event('btn', { long: false });
    strap.event('hb', { upS: 60 });
    expect(events).toEqual([
      { boots: 1, seq: 1, name: 'btn', data: { long: false } },
      { boots: 1, seq: 2, name: 'hb', data: { upS: 60 } },
    ]);
  });

  it('recovers an event damaged on the wire through the strap replay', async () => {
    const { strap, rpc, time } = connect();
    const seqs: number[] = [];
    const gaps: EventGap[] = [];
    rpc.on('event', (e) => seqs.push(e.seq));
    rpc.on('gap', (g) => gaps.push(g));
    await rpc.subscribe();
    strap.event('hb', { upS: 60 });
    strap.lineFaults.push(flipCharAt(8));
    strap.event('btn', { long: true });
    strap.event('hb', { upS: 120 });
    await time.runAll();
    expect(seqs).toEqual([1, 2, 3]);
    expect(gaps).toEqual([]);
    expect(rpc.stats.corruptFrames).toBe(1);
  });

  it('reports a gap for events lost beyond what the strap keeps', async () => {
    const { strap, rpc, time } = connect();
    const seqs: number[] = [];
    const gaps: EventGap[] = [];
    rpc.on('event', (e) => seqs.push(e.seq));
    rpc.on('gap', (g) => gaps.push(g));
    await rpc.subscribe();
    // Seqs 1-5 lost; the strap keeps the last 4 (4-7) for a replay.
    strap.lineFaults.push(drop, drop, drop, drop, drop);
    for (let i = 0; i < 7; i++) strap.event('hb', { i });
    await time.runAll();
    expect(gaps).toEqual([{ boots: 1, fromSeq: 1, toSeq: 3, missed: 3 }]);
    expect(seqs).toEqual([4, 5, 6, 7]);
  });

  it('sees the boot banner, reports the reboot and subscribes again', async () => {
    const { strap, rpc, time } = connect();
    const reboots: RebootNotice[] = [];
    const events: string[] = [];
    rpc.on('reboot', (r) => reboots.push(r));
    rpc.on('event', (e) => events.push(`${e.boots}.${e.seq}.${e.name}`));
    await rpc.subscribe();
    strap.event('hb', {});
    strap.reboot();
    await time.runAll();
    expect(strap.subscribed).toBe(true);
    strap.event('btn', {});
    expect(reboots).toEqual([{ boots: 2, line: 'strap 0.1.0 on PUCKJS (Espruino 2v29), boot #2' }]);
    expect(events).toEqual(['1.1.hb', '2.1.btn']);
  });

  it('stops delivering after unsubscribe', async () => {
    const { strap, rpc } = connect();
    const events: FirmwareEvent[] = [];
    rpc.on('event', (e) => events.push(e));
    await rpc.subscribe();
    await rpc.unsubscribe();
    strap.subscribed = true;
    strap.event('hb', {});
    expect(events).toEqual([]);
    expect(rpc.subscribed).toBe(false);
  });

  it('offers events as an async iterator', async () => {
    const { strap, rpc } = connect();
    await rpc.subscribe();
    const abort = new AbortController();
    const iterator = rpc.events(abort.signal);
    const first = iterator.next();
    strap.event('btn', { long: false });
    await expect(first).resolves.toEqual({ done: false, value: { boots: 1, seq: 1, name: 'btn', data: { long: false } } });
    await iterator.return?.();
  });
});
