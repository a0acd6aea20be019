import { countBoot } from './boot-counter';
import { watchButton } from './button';
import { loadConfig, restoreDefaults } from './config-store';
import { createConsoleRpc } from './console-rpc';
import { createEventStream } from './event-stream';
import { startPower } from './power';
import { rpcMethods } from './rpc-methods';
import { status, StrapState } from './status';
import { FIRMWARE_NAME, FIRMWARE_VERSION } from './version';

/** Boots the strap: banner, settings (or safe mode), power and payments (scheduler, taps, heartbeat), button, console API. */
export function boot(): void {
  const loaded = loadConfig();
  const state: StrapState = {
    mode: loaded.problem ? 'safe' : 'normal',
    safeReason: loaded.problem,
    boots: countBoot(),
    bootTimeS: getTime(),
    presses: 0,
    paid: 0,
    lastTap: '',
  };
  const config = loaded.config;

  print(FIRMWARE_NAME + ' ' + FIRMWARE_VERSION + ' on ' + process.env.BOARD + ' (Espruino ' + process.env.VERSION + '), boot #' + state.boots);
  if (state.safeReason) print('SAFE MODE: ' + state.safeReason + '; running on defaults, stored data kept');

  // Auto-kicked while the event loop is idle: a firmware stuck in a loop resets the board.
  E.enableWatchdog(config.watchdogS, true);

  // Event frames for a host that subscribed over the console RPC; silent otherwise.
  const events = createEventStream(state.boots, function (stream) {
    stream.emit('boot', { boots: state.boots, mode: state.mode, upS: Math.round(getTime() - state.bootTimeS) });
    if (state.safeReason) stream.emit('safe', { reason: state.safeReason });
  });

  const scheduler = startPower(state, events, config.heartbeatS);
  state.scheduler = scheduler;

  watchButton(config.longPressMs, function (press) {
    scheduler.power.send(ACTIVITY);
    state.presses++;
    print('[btn] ' + (press.long ? 'long-press' : 'press') + ' ' + press.heldMs + 'ms');
    events.emit('btn', { long: press.long, heldMs: press.heldMs, presses: state.presses });
  });

  const api = {
    status: function () {
      return status(state);
    },
    // Settings take effect at the next boot, as on first boot.
    restoreDefaults: restoreDefaults,
    // The host's framed RPC (console-rpc.ts): `\x10strap.rpc("<frame>")\n`.
    rpc: createConsoleRpc(rpcMethods(state, events)),
    // For the engineer at the console: submit work, sample, look at the tasks.
    scheduler: scheduler,
  };
  globalThis.strap = api;
}

const ACTIVITY = { type: 'ACTIVITY' } as const;
