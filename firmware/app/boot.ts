import { countBoot } from './boot-counter';
import { readBattery } from './battery';
import { watchButton } from './button';
import { loadConfig, restoreDefaults } from './config-store';
import { createConsoleRpc } from './console-rpc';
import { createEventStream } from './event-stream';
import { flash } from './led';
import { rpcMethods } from './rpc-methods';
import { status, StrapState } from './status';
import { FIRMWARE_NAME, FIRMWARE_VERSION } from './version';

/** Boots the strap: banner, settings (or safe mode), button, heartbeat, console API. */
export function boot(): void {
  const loaded = loadConfig();
  const state: StrapState = {
    mode: loaded.problem ? 'safe' : 'normal',
    safeReason: loaded.problem,
    boots: countBoot(),
    bootTimeS: getTime(),
    presses: 0,
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

  watchButton(config.longPressMs, function (press) {
    state.presses++;
    print('[btn] ' + (press.long ? 'long-press' : 'press') + ' ' + press.heldMs + 'ms');
    events.emit('btn', { long: press.long, heldMs: press.heldMs, presses: state.presses });
  });

  setInterval(function () {
    const battery = readBattery();
    const upS = Math.round(getTime() - state.bootTimeS);
    flash(LED2, 20);
    print('[hb] up=' + upS + 's batt=' + battery.percent + '% ' + battery.volts.toFixed(2) + 'V mode=' + state.mode);
    events.emit('hb', { upS: upS, battPct: battery.percent, battV: battery.volts, mode: state.mode });
  }, config.heartbeatS * 1000);

  const api = {
    status: function () {
      return status(state);
    },
    // Settings take effect at the next boot, as on first boot.
    restoreDefaults: restoreDefaults,
    // The host's framed RPC (console-rpc.ts): `\x10strap.rpc("<frame>")\n`.
    rpc: createConsoleRpc(rpcMethods(state, events)),
  };
  globalThis.strap = api;
}
