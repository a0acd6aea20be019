/**
 * A TCP "board" for the EspruinoTools test: one REPL and the vm test engine
 * behind a socket, with reset() and load() applied after the pass that asked
 * for them (Espruino runs them from jsiIdle once the input is handled).
 * Every byte received is logged for assertions.
 */
import net from 'node:net';
import { createRepl, type EspruinoRepl } from './repl';
import { createTestEngine, type TestEngine } from './test-engine';

export interface TestBoardServer {
  port: number;
  engine: TestEngine;
  /** Everything the host sent, in order. */
  received(): string;
  /** Everything the board sent, in order. */
  sent(): string;
  /** Hangs up on the connected host (what a board never does; the CLI waits for it after a short `-e`). */
  hangUp(): void;
  close(): Promise<void>;
}

export async function startTestBoardServer(): Promise<TestBoardServer> {
  const engine = createTestEngine();
  let rx = '';
  let tx = '';
  let socket: net.Socket | undefined;
  const write = (bytes: string): void => {
    tx += bytes;
    socket?.write(Buffer.from(bytes, 'latin1'));
  };
  const repl: EspruinoRepl = createRepl({ engine, write });
  engine.attach(repl);

  const applyTodo = (): void => {
    const todo = engine.takeTodo();
    if (todo === 'reset') {
      engine.resetContext();
      repl.resetConsoleState();
      repl.printFromFirmware('\n Espruino 2v29 (virtual board REPL test)\n\n');
    } else if (todo === 'load') {
      engine.resetContext();
      const boot = engine.storage.get('.bootcde');
      if (boot !== undefined) {
        const outcome = engine.evaluate(boot);
        if (!outcome.ok) repl.reportUncaught(outcome.error);
      }
      repl.endLoopPass();
    }
  };

  const server = net.createServer((s) => {
    socket = s;
    s.setNoDelay(true);
    s.on('data', (data: Buffer) => {
      const bytes = data.toString('latin1');
      rx += bytes;
      repl.receive(bytes);
      applyTodo();
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      if (socket === s) socket = undefined;
    });
    repl.showPrompt();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    engine,
    received: () => rx,
    sent: () => tx,
    hangUp: () => socket?.end(),
    close: () =>
      new Promise<void>((resolve) => {
        socket?.destroy();
        server.close(() => resolve());
      }),
  };
}
