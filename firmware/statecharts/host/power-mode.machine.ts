import { setup } from 'xstate';
import { fromUpdate } from './authoring/from-update';
import { powerModeGuard as guard, powerModeUpdate as update, type PowerModeContext, type PowerModeEvent } from '../power-mode.model';

// The strap's power mode. Host side only: the build lowers it to
// tables/power-mode.table.ts for the strap.
//
// Events (power-mode.model.ts): ACTIVITY, NFC_FIELD, BLE_CONNECTED,
// BLE_DISCONNECTED, BATTERY_SAMPLE { percent, charging }, POWER_OFF, POWER_ON.
//
// normal: (linkCheck [linkUp] → connected, else) active ─after activeTimeoutMs→ idle ─after idleTimeoutMs→ sleep;
//         BLE_CONNECTED → connected; saver likewise starts connected or advertising
// normal ─BATTERY_SAMPLE [atSaverThreshold]→ saver ─[atReserveFloor]→ reserveOnly
// reserveOnly ─[recoveredFromSaver]→ normal, ─[recoveredFromReserve]→ saver ─[recoveredFromSaver]→ normal
// (hysteresis on the way up; the guards read the shed level of power-mode.model.ts, which every
// sample updates, so the mode always matches the rungs the scheduler sheds)
// any mode ─POWER_OFF→ off ─POWER_ON→ normal
//
// Figures behind the modes (sim/power/current-catalogue.ts, with sources):
// advertising at the default 375 ms ~20 µA (espruino.com/Puck.js); connected
// ~600 µA at the 7.5 ms high-power interval, ~40 µA at 200 ms once idle
// (Espruino issue #2635); after NRF.sleep() ~3 µA.

export const powerModeMachine = setup({
  types: {
    context: {} as PowerModeContext,
    events: {} as PowerModeEvent,
  },
  actions: {
    rememberBattery: fromUpdate((context: PowerModeContext, event) => update('rememberBattery', context, event)),
    // Hardware: stubs here, supplied by the firmware on the strap.
    advertiseFast: () => {},
    advertiseSlow: () => {},
    stopAdvertising: () => {},
    resumeAdvertising: () => {},
    requestFastConnection: () => {},
    requestSlowConnection: () => {},
    watchButtonOnly: () => {},
    shedBackgroundWork: () => {},
    restoreBackgroundWork: () => {},
    shedAllButPayment: () => {},
    restoreServices: () => {},
    notifyMode: () => {},
    enterShippingMode: () => {},
    leaveShippingMode: () => {},
  },
  guards: {
    // Supplied by the firmware: is a central connected (Espruino: NRF.getSecurityStatus().connected).
    linkUp: () => false,
    atReserveFloor: ({ context, event }) => guard('atReserveFloor', context, event),
    atSaverThreshold: ({ context, event }) => guard('atSaverThreshold', context, event),
    recoveredFromSaver: ({ context, event }) => guard('recoveredFromSaver', context, event),
    recoveredFromReserve: ({ context, event }) => guard('recoveredFromReserve', context, event),
  },
  delays: {
    /** Fast advertising after the wearer's last activity, so the phone finds the strap quickly. */
    activeTimeoutMs: 10_000,
    /** Slow advertising before the radio sleeps (wake by button or a reader's field). */
    idleTimeoutMs: 300_000,
    /** An idle link drops to a long connection interval (the ~32 µA figure above). */
    connectionIdleMs: 60_000,
  },
}).createMachine({
  id: 'powerMode',
  context: {
    telP: 30,
    savP: 20,
    usrP: 10,
    resP: 5,
    hysP: 5,
    shed: 0,
    pct: 100,
    chg: false,
  },
  initial: 'normal',
  // Samples no mode acts on are still remembered (a descendant's enabled transition wins over this one).
  on: {
    BATTERY_SAMPLE: { actions: 'rememberBattery' },
  },
  states: {
    normal: {
      initial: 'linkCheck',
      on: {
        BATTERY_SAMPLE: [
          { guard: 'atReserveFloor', target: 'reserveOnly', actions: 'rememberBattery' },
          { guard: 'atSaverThreshold', target: 'saver', actions: 'rememberBattery' },
        ],
        POWER_OFF: 'off',
      },
      states: {
        // Coming back from saver, the phone may still be connected.
        linkCheck: {
          always: [{ guard: 'linkUp', target: 'connected' }, { target: 'active' }],
        },
        active: {
          entry: 'advertiseFast',
          after: { activeTimeoutMs: 'idle' },
          on: {
            // Re-entering restarts the timer: the wearer is still here.
            ACTIVITY: { target: 'active', reenter: true },
            BLE_CONNECTED: 'connected',
          },
        },
        connected: {
          entry: 'requestFastConnection',
          after: { connectionIdleMs: { actions: 'requestSlowConnection' } },
          on: {
            BLE_DISCONNECTED: 'active',
            ACTIVITY: { actions: 'requestFastConnection' },
          },
        },
        idle: {
          entry: 'advertiseSlow',
          after: { idleTimeoutMs: 'sleep' },
          on: {
            ACTIVITY: 'active',
            NFC_FIELD: 'active',
            BLE_CONNECTED: 'connected',
          },
        },
        sleep: {
          entry: ['stopAdvertising', 'watchButtonOnly'],
          exit: 'resumeAdvertising',
          on: {
            ACTIVITY: 'active',
            NFC_FIELD: 'active',
          },
        },
      },
    },
    saver: {
      initial: 'linkCheck',
      entry: ['shedBackgroundWork', 'notifyMode'],
      exit: 'restoreBackgroundWork',
      on: {
        BATTERY_SAMPLE: [
          { guard: 'atReserveFloor', target: 'reserveOnly', actions: 'rememberBattery' },
          { guard: 'recoveredFromSaver', target: 'normal', actions: 'rememberBattery' },
        ],
        POWER_OFF: 'off',
      },
      states: {
        // A link that is up stays up, on a long interval.
        linkCheck: {
          always: [{ guard: 'linkUp', target: 'connected' }, { target: 'advertising' }],
        },
        advertising: {
          entry: 'advertiseSlow',
          on: { BLE_CONNECTED: 'connected' },
        },
        connected: {
          entry: 'requestSlowConnection',
          on: { BLE_DISCONNECTED: 'advertising' },
        },
      },
    },
    reserveOnly: {
      entry: ['shedAllButPayment', 'stopAdvertising', 'notifyMode'],
      exit: ['restoreServices', 'resumeAdvertising'],
      on: {
        // Straight to normal when the charge (or a charger) clears the saver rung too.
        BATTERY_SAMPLE: [
          { guard: 'recoveredFromSaver', target: 'normal', actions: 'rememberBattery' },
          { guard: 'recoveredFromReserve', target: 'saver', actions: 'rememberBattery' },
        ],
        POWER_OFF: 'off',
      },
    },
    off: {
      entry: 'enterShippingMode',
      exit: 'leaveShippingMode',
      on: {
        POWER_ON: 'normal',
      },
    },
  },
});
