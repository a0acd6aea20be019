/**
 * Waiting for the strap's boot banner (`strap X on BOARD (Espruino V), boot
 * #N`, STRAP_BANNER) after a reset: the line, or FlashBootError with the last
 * lines the board printed instead, or FlashInterruptedError when the port
 * closes, or FlashAbortedError when the signal fires.
 */
import type { ConsoleClient } from '../contracts';
import { STRAP_BANNER } from '../rpc/rpc-client';
import type { Timers } from '../timers';
import { PortClosedError } from '../transports/index';
import { FlashAbortedError, FlashBootError, FlashInterruptedError } from './flash-errors';

export interface BannerWaitOptions {
  timeoutMs: number;
  timers: Timers;
  signal?: AbortSignal;
}

/** Listens from now on: call it before sending what makes the board boot. */
export function waitForBanner(console: ConsoleClient, options: BannerWaitOptions): Promise<string> {
  const { timeoutMs, timers, signal } = options;
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    const done = (error?: Error, line?: string) => {
      timers.clearTimeout(timer);
      console.off('line', onLine);
      console.transport.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(line!);
    };
    const onLine = (line: string) => {
      const banner = STRAP_BANNER.exec(line);
      if (banner) return done(undefined, banner[0]);
      seen.push(line);
    };
    const onClose = (error?: Error) => {
      const message = `${console.transport.port} closed while waiting for the strap's banner after the reset`;
      done(new FlashInterruptedError(message, { cause: new PortClosedError(console.transport.port, message, { cause: error }) }));
    };
    const onAbort = () => done(new FlashAbortedError('stopped on request while waiting for the banner'));
    const timer = timers.setTimeout(
      () => done(new FlashBootError(`no strap banner within ${timeoutMs} ms after the reset; the board printed: ${seen.slice(-8).join(' | ') || 'nothing'}`)),
      timeoutMs,
    );
    console.on('line', onLine);
    console.transport.on('close', onClose);
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();
  });
}
