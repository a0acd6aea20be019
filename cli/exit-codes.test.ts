// Which exit code each failure of the host bridge gives (the table in `strap --help`).
import { describe, expect, it } from 'vitest';
import { BoardError, ConsoleTimeoutError, WrongBaudRateError } from '../host-bridge/console/index';
import { FlashAbortedError, FlashInterruptedError, FlashNoRoomError, FlashVerifyError, NotStrapBundleError, NotStrapFirmwareError } from '../host-bridge/flash/index';
import { RpcRemoteError, RpcTimeoutError } from '../host-bridge/rpc/rpc-errors';
import { PortClosedError, PortOpenError } from '../host-bridge/transports/index';
import { ExitCode, UsageError, exitCodeFor, exitCodeForName } from './exit-codes';

describe('strap exit codes', () => {
  it('3 when the board cannot be reached, a wrong baud rate included', () => {
    const wrongBaud = new WrongBaudRateError('no Espruino prompt at 9600 baud (only garbage came back); the board answered at 115200 baud', 9600, 115200);
    for (const error of [wrongBaud, new PortOpenError('/dev/ttyACM0', 'cannot open'), new PortClosedError('/dev/ttyACM0', 'went away'), new ConsoleTimeoutError('nothing came back'), new RpcTimeoutError('status', 3, 2000)]) {
      expect(exitCodeFor(error), error.name).toBe(ExitCode.unreachable);
    }
  });

  it('3 for an operation cut off by the port going away (its cause), 1 for one the board refused', () => {
    const cut = new FlashInterruptedError('upload stopped at 4096/20000 bytes', { cause: new PortClosedError('tcp://127.0.0.1:4000', 'went away') });
    expect(exitCodeFor(cut)).toBe(ExitCode.unreachable);
    expect(exitCodeFor(new FlashInterruptedError('the board NAKed a packet'))).toBe(ExitCode.failed);
  });

  it('4 for a board without the strap firmware, 2 for usage, 1 for everything the board answered with an error', () => {
    expect(exitCodeFor(new NotStrapFirmwareError('PUCKJS, Espruino 2v29, no boot code'))).toBe(ExitCode.notStrapFirmware);
    expect(exitCodeFor(new UsageError('unknown option --x'))).toBe(ExitCode.usage);
    expect(exitCodeFor(new FlashVerifyError('strap.b', { size: 1, crc32: 1 }, { size: 1, crc32: 2 }, 'slot a'))).toBe(ExitCode.failed);
    expect(exitCodeFor(new RpcRemoteError('status', 'failed', 'boom'))).toBe(ExitCode.failed);
    expect(exitCodeFor(new BoardError('Uncaught Error: boom'))).toBe(ExitCode.failed);
  });

  it('2 for a bundle that is not a strap firmware (the command line named it), 130 for Ctrl-C, 1 for a bundle that cannot fit', () => {
    expect(exitCodeFor(new NotStrapBundleError('it is empty'))).toBe(ExitCode.usage);
    expect(exitCodeFor(new FlashAbortedError('stopped on request before uploading strap.b; the board boots strap 0.1.0 (slot a)'))).toBe(ExitCode.interrupted);
    expect(ExitCode.interrupted).toBe(130);
    expect(exitCodeFor(new FlashNoRoomError('no room for the bundle', 103_000, 40_000))).toBe(ExitCode.failed);
  });

  it('the same by class name, for errors reported by a child process (strap hil)', () => {
    expect(exitCodeForName('PortOpenError')).toBe(ExitCode.unreachable);
    expect(exitCodeForName('NotStrapFirmwareError')).toBe(ExitCode.notStrapFirmware);
    expect(exitCodeForName('AssertionError')).toBe(ExitCode.failed);
  });
});
