import { countBoot } from './boot-counter';
import { readBattery } from './battery';
import { watchButton } from './button';
import { loadConfig, restoreDefaults } from './config-store';
import { flash } from './led';
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

  watchButton(config.longPressMs, function (press) {
    state.presses++;
    print('[btn] ' + (press.long ? 'long-press' : 'press') + ' ' + press.heldMs + 'ms');
  });

  setInterval(function () {
    const battery = readBattery();
    flash(LED2, 20);
    print('[hb] up=' + Math.round(getTime() - state.bootTimeS) + 's batt=' + battery.percent + '% ' + battery.volts.toFixed(2) + 'V mode=' + state.mode);
  }, config.heartbeatS * 1000);

  globalThis.strap = {
    status: function () {
      return status(state);
    },
    // Settings take effect at the next boot, as on first boot.
    restoreDefaults: restoreDefaults,
  };
}
