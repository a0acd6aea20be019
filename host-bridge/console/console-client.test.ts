/**
 * The console client against a byte-level stand-in for an Espruino console
 * (testing/fake-espruino-console.ts). The same behaviours against the real
 * virtual board: hil/console-client-on-virtual-board.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeTimers } from '../testing/fake-timers';
import { createMemoryLink, type MemoryLink } from '../transports/memory-transport';
import { ReconnectingTransport } from '../transports/reconnecting-transport';
import { EspruinoConsoleClient } from './console-client';
import { BoardError, ConsoleClosedError, ConsoleProtocolError, ConsoleTimeoutError, WrongBaudRateError } from './console-errors';
import { FakeEspruinoConsole } from './testing/fake-espruino-console';
import { SimulatedUartHost } from './testing/simulated-uart';

const clients: EspruinoConsoleClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
});

async function setup(options: ConstructorParameters<typeof FakeEspruinoConsole>[0] = {}) {
  const link: MemoryLink = createMemoryLink();
  const board = new FakeEspruinoConsole(options).attach(link.device);
  await link.host.open();
  const time = createFakeTimers();
  const client = new EspruinoConsoleClient(link.host, { protocol: 'text', timeoutMs: 1000, timers: time });
  clients.push(client);
  const lines: string[] = [];
  client.on('line', (l) => lines.push(l));
  return { link, board, client, lines, time };
}

/** Lets the in-memory link deliver what is on its way (it delivers on promise jobs, all run before this). */
const tick = () => new Promise((r) => setImmediate(r));

describe('console client, text mode', () => {
  it('evaluate returns values of every JSON type', async () => {
    const { client } = await setup();
    expect(await client.evaluate('1+2')).toBe(3);
    expect(await client.evaluate('"a" + "\\n" + "b"')).toBe('a\nb');
    expect(await client.evaluate('({ ok: true, list: [1, null, "x"] })')).toEqual({ ok: true, list: [1, null, 'x'] });
    expect(await client.evaluate('undefined')).toBeUndefined();
    expect(await client.evaluate('null')).toBeNull();
    expect(await client.evaluate('"\\x02\\x03 stay escaped"')).toBe('\x02\x03 stay escaped');
  });

  it('sends Ctrl-U and echo-off lines whose reply is framed, then a sync line', async () => {
    const { client, board } = await setup();
    await client.evaluate('6*7');
    expect(board.received).toMatch(/^\x15\x10print\("\\x02([0-9a-z]{6})="\+JSON\.stringify\(\(6\*7\)\)\+"\\x03\1"\)\n\x10print\("\\x02\1\.\\x03\1"\)\n$/);
  });

  it('evaluates comma expressions, trailing semicolons, multi-line code and // comments', async () => {
    const { client } = await setup();
    expect(await client.evaluate('1, 2')).toBe(2);
    expect(await client.evaluate('5;')).toBe(5);
    expect(await client.evaluate('[1,\n 2].length')).toBe(2);
    expect(await client.evaluate('7 // seven')).toBe(7);
    expect(await client.evaluate('"caf\u00e9"')).toBe('caf\u00e9');
  });

  it('refuses code with bytes the console would act on', async () => {
    const { client } = await setup();
    await expect(client.evaluate('"a\x03b"')).rejects.toThrow(/control byte 0x03 at 2/);
  });

  it('firmware log lines before, between and after replies come out on "line" and do not disturb values', async () => {
    const { client, board, lines } = await setup();
    board.log('boot #3');
    // a log printed by the board between the value frame and the sync frame
    let n = 0;
    board.transformOutput = (bytes) => (bytes.startsWith('\x02') && bytes.includes('=') ? bytes + `\r\x1b[Jheartbeat ${++n}\r\n>` : bytes);
    expect(await client.evaluate('40+2')).toBe(42);
    expect(await client.evaluate('"x"')).toBe('x');
    board.transformOutput = undefined;
    board.log('after');
    await tick();
    expect(lines).toEqual(['boot #3', 'heartbeat 1', 'heartbeat 2', 'after']);
  });

  it('output printed by the expression itself is a line, the value still comes back', async () => {
    const { client, lines } = await setup();
    expect(await client.evaluate('(print("inside"), 9)')).toBe(9);
    expect(lines).toEqual(['inside']);
  });

  it('a log line spliced into the middle of a reply breaks that reply clearly; the next one resyncs', async () => {
    const { client, board } = await setup();
    const dropped: string[] = [];
    client.on('dropped', (d) => dropped.push(d.reason));
    board.transformOutput = (bytes) => (bytes.includes('="abcdef') ? bytes.replace('abc', 'abc\r\ntick\r\n') : bytes);
    await expect(client.evaluate('"abcdef"')).rejects.toThrow(ConsoleProtocolError);
    await expect(client.evaluate('"abcdef"')).rejects.toThrow(/garbled on the wire \(the board did run it\)/);
    expect(dropped).toContain('control byte inside a frame');
    board.transformOutput = undefined;
    expect(await client.evaluate('"abcdef"')).toBe('abcdef');
  });

  it('noise on the wire and a half frame at connect are skipped; replies after them are read', async () => {
    const { client, board, lines } = await setup();
    board.raw('ab=3\x03zzzzzz\r\n'); // the tail of a frame from before we connected
    board.raw('\x02\x02\x03\xff\xfe\x00\x02abc\x80\x03\x01'); // line noise with frame bytes in it
    board.raw('\x02qqqqqq=1\x03rrrrrr'); // a frame whose ends do not match
    expect(await client.evaluate('123')).toBe(123);
    board.log('still here');
    await tick();
    expect(lines).toEqual(['still here']);
  });

  it("an exception on the board is a BoardError with Espruino's Uncaught report", async () => {
    const { client } = await setup();
    const error = await client.evaluate('nothingHere + 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BoardError);
    expect((error as BoardError).uncaught).toBe('Uncaught ReferenceError: "nothingHere" is not defined');
    expect((error as BoardError).message).toMatch(/^Uncaught ReferenceError: "nothingHere" is not defined\n {4}at REPL \(:1:\d+\)\nprint\(.*\n *\^$/);
    await expect(client.evaluate('(function(){ throw new Error("boom") })()')).rejects.toThrow(/^Uncaught Error: boom/);
    expect(await client.evaluate('1')).toBe(1);
  });

  it('older firmware`s report (` at line L col C`) is read whole too', async () => {
    const { client, board } = await setup();
    board.transformOutput = (bytes) => bytes.replace(/ {4}at REPL \(:(\d+):(\d+)\)/, ' at line $1 col $2');
    const error = await client.evaluate('nothingHere + 1').catch((e: unknown) => e);
    expect((error as BoardError).message).toMatch(/^Uncaught ReferenceError: "nothingHere" is not defined\n at line 1 col \d+\nprint\(.*\n *\^$/);
  });

  it('code the board cannot parse is a BoardError (SyntaxError), found by the sync line after it', async () => {
    const { client } = await setup();
    await expect(client.evaluate('1 +* 2')).rejects.toThrow(/^Uncaught SyntaxError/);
  });

  it('an Uncaught report from firmware during a successful evaluate is a line, not the error', async () => {
    const { client, board, lines } = await setup();
    board.transformOutput = (bytes) => (bytes.startsWith('\x02') && bytes.includes('=') ? 'Uncaught Error: from a timer\r\n' + bytes : bytes);
    expect(await client.evaluate('5')).toBe(5);
    expect(lines).toEqual(['Uncaught Error: from a timer']);
  });

  it('no answer is a timeout that says what came back', async () => {
    const { client, board, time } = await setup();
    board.muted = true;
    await expect(time.settle(client.evaluate('1', { timeoutMs: 100 }))).rejects.toThrow(ConsoleTimeoutError);
    await expect(time.settle(client.evaluate('1', { timeoutMs: 100 }))).rejects.toThrow(/no answer to evaluate\(1\) from memory:\/\/board within 100 ms: nothing came back/);
    board.muted = false;
    board.transformOutput = () => 'Loading...\r\n';
    await expect(time.settle(client.evaluate('1', { timeoutMs: 100 }))).rejects.toThrow(/received: Loading\.\.\./);
  });

  it('a late reply to a command that timed out is ignored', async () => {
    const { client, board, time } = await setup();
    let held = '';
    board.transformOutput = (bytes) => {
      held += bytes;
      return '';
    };
    await expect(time.settle(client.evaluate('111', { timeoutMs: 50 }))).rejects.toThrow(ConsoleTimeoutError);
    board.transformOutput = undefined;
    board.raw(held);
    expect(await client.evaluate('222')).toBe(222);
  });

  it('the port vanishing mid-evaluate rejects with ConsoleClosedError and emits close', async () => {
    const { client, board, link } = await setup();
    board.muted = true;
    const closed = new Promise<Error | undefined>((resolve) => client.on('close', resolve));
    const pending = client.evaluate('1', { timeoutMs: 5000 });
    link.device.hangUp('USB unplugged');
    await expect(pending).rejects.toThrow(ConsoleClosedError);
    await expect(pending).rejects.toThrow(/^memory:\/\/board went away: USB unplugged$/);
    expect((await closed)?.message).toContain('USB unplugged');
    await expect(client.evaluate('1')).rejects.toThrow(ConsoleClosedError);
  });

  it('interrupt clears a half-typed line and waits for the console', async () => {
    const { client, board, link, time } = await setup();
    await link.host.write('garbage(');
    await time.settle(client.interrupt());
    expect(board.received.slice('garbage('.length)).toMatch(/^\x03\x15\x10print\("\\x02[0-9a-z]{6}\.\\x03[0-9a-z]{6}"\)\n$/);
    expect(await client.evaluate('2')).toBe(2);
  });

  it('send() runs a statement without waiting for a value; clearLine first clears a half line', async () => {
    const { client, link, board } = await setup();
    await client.send('var counter = 5');
    expect(await client.evaluate('counter')).toBe(5);
    await link.host.write('half(');
    await client.send('counter = 6', { clearLine: true });
    expect(await client.evaluate('counter')).toBe(6);
    expect(board.received).toContain('half(\x15\x10counter = 6\n');
  });

  it('identify() reads process.env once; hasGlobal() tells whether our firmware is there', async () => {
    const { client, board } = await setup({ env: { BOARD: 'PUCKJS', VERSION: '2v24' } });
    const id = await client.identify();
    expect(id).toMatchObject({ board: 'PUCKJS', version: '2v24' });
    expect(id.env.CONSOLE).toBe('Serial1');
    const before = board.received.length;
    expect(await client.identify()).toBe(id);
    expect(board.received.length).toBe(before);
    expect(await client.hasGlobal('strap')).toBe(false);
    board.run('var strap = {}');
    expect(await client.hasGlobal('strap')).toBe(true);
    await expect(client.hasGlobal('strap.x; reset()')).rejects.toThrow(/not a global variable name/);
  });

  it('commands run one at a time in call order', async () => {
    const { client } = await setup();
    const results = await Promise.all([client.evaluate('1'), client.evaluate('2'), client.evaluate('3')]);
    expect(results).toEqual([1, 2, 3]);
  });

  it('XOFF from the board holds writes until XON', async () => {
    const { client, board } = await setup();
    board.raw('\x13');
    await tick();
    const pending = client.evaluate('4');
    await tick();
    expect(board.received).toBe('');
    board.raw('\x11');
    expect(await pending).toBe(4);
  });

  it('with protocol auto, a pre-2v25 board is spoken to in text mode', async () => {
    const link = createMemoryLink();
    new FakeEspruinoConsole({ env: { VERSION: '2v24' } }).attach(link.device);
    await link.host.open();
    const client = new EspruinoConsoleClient(link.host);
    clients.push(client);
    expect(await client.evaluate('1+1')).toBe(2);
    expect(client.protocol).toBe('text');
  });

  it('uploads and reads back a Storage file in text mode, chunk by chunk', async () => {
    const { client, board } = await setup();
    const data = Buffer.from(Array.from({ length: 2500 }, (_, i) => i & 0xff));
    const progress: number[] = [];
    await client.uploadFile('blob', data, { chunkBytes: 1000, onProgress: (n) => progress.push(n) });
    expect(progress).toEqual([1000, 2000, 2500]);
    expect(Buffer.from(board.storage.get('blob')!, 'latin1')).toEqual(data);
    expect(await client.readFile('blob')).toEqual(data);
    expect(await client.readFile('missing')).toBeUndefined();
  });

  it('survives its port coming back through a reconnecting transport', async () => {
    const board = new FakeEspruinoConsole();
    const links: MemoryLink[] = [];
    const time = createFakeTimers();
    const transport = new ReconnectingTransport(
      'memory://board',
      () => {
        const link = createMemoryLink();
        links.push(link);
        board.attach(link.device);
        return link.host;
      },
      { initialDelayMs: 10, timers: time },
    );
    await transport.open();
    const client = new EspruinoConsoleClient(transport, { protocol: 'text', timeoutMs: 1000, timers: time });
    clients.push(client);
    expect(await client.evaluate('1')).toBe(1);
    board.muted = true;
    const pending = client.evaluate('2');
    const reconnected = new Promise<void>((resolve) => client.on('reconnected', () => resolve()));
    links[0]!.device.hangUp('board reset');
    await expect(pending).rejects.toThrow(/went away/);
    await time.settle(reconnected);
    board.muted = false;
    expect(await client.evaluate('3')).toBe(3);
  });
});

describe('connecting, and wrong baud rates', () => {
  it('connect() syncs with the console first', async () => {
    const uart = new SimulatedUartHost(9600, 9600);
    new FakeEspruinoConsole().attach(uart.device);
    const client = await EspruinoConsoleClient.connect(uart, { protocol: 'text' });
    clients.push(client);
    expect(await client.evaluate('1')).toBe(1);
  });

  it('a board at another rate is found and named in the error', async () => {
    const uart = new SimulatedUartHost(9600, 115200);
    new FakeEspruinoConsole().attach(uart.device);
    const time = createFakeTimers();
    const error = await time.settle(EspruinoConsoleClient.connect(uart, { protocol: 'text', syncTimeoutMs: 300, timers: time })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongBaudRateError);
    expect((error as WrongBaudRateError).message).toMatch(/^no Espruino prompt at 9600 baud \(only garbage came back\); the board answered at 115200 baud: open \/dev\/ttySIM0 at 115200$/);
    expect((error as WrongBaudRateError).answeredAt).toBe(115200);
    expect(uart.baudRate).toBe(9600);
  });

  it('a silent line at every rate is named as such', async () => {
    const uart = new SimulatedUartHost(9600, 9600);
    const board = new FakeEspruinoConsole().attach(uart.device);
    board.muted = true;
    const time = createFakeTimers();
    const error = await time
      .settle(EspruinoConsoleClient.connect(uart, { protocol: 'text', syncTimeoutMs: 200, baudRates: [9600, 115200, 57600], timers: time }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongBaudRateError);
    expect((error as Error).message).toBe(
      'no Espruino prompt at 9600 baud (nothing came back), nor at 115200, 57600: nothing answered at any speed (is the board powered, is this its console port, is the console moved elsewhere with E.setConsole?)',
    );
  });
});
