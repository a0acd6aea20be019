import type { SystemEvent } from '../statecharts/table';
import { powerModeGuard, powerModeUpdate, type PowerModeContext, type PowerModeEvent, type PowerModeGuard as ModelGuard } from '../statecharts/power-mode.model';
import { TableActor } from '../statecharts/runtime';
import { powerModeTable, type PowerModeAction, type PowerModeGuard } from '../statecharts/tables/power-mode.table';

// The power-mode statechart as the scheduler runs it: its table actor, with
// the shed level it left off at (from flash) in its context, the model's
// context update and guards, the app's radio actions, and shipping mode
// reported back to the scheduler. The machine's shed/restore actions need no
// code of their own: the scheduler reads the shed level after every sample.
// One power mode per board: what its actions and guards call is module state,
// and they are one function each (what Espruino keeps for as long as the strap runs).

export type PowerThresholds = Pick<PowerModeContext, 'telP' | 'savP' | 'usrP' | 'resP' | 'hysP'>;

export interface PowerModeOptions {
  /** Shedding thresholds (percent) other than the power-mode machine's. */
  thresholds?: Partial<PowerThresholds>;
  /** The power mode's hardware actions (advertising, connection interval, shipping mode, …), by name; those it does nothing for cost nothing. */
  powerActions?: (name: PowerModeAction) => void;
  /** Whether a central is connected (the power mode's linkUp guard). */
  linkUp?: () => boolean;
}

let appActions: PowerModeOptions['powerActions'];
let linkUp: PowerModeOptions['linkUp'];
let shipping: () => void;

/** Creates and starts the power-mode actor; `shippingStarts` hears shipping mode start (after the app's own action, if it gave one). */
export function createPowerMode(options: PowerModeOptions, shedLevel: number, shippingStarts: () => void): TableActor<typeof powerModeTable> {
  const context: PowerModeContext = JSON.parse(powerModeTable('c'));
  const thresholds = (options.thresholds || {}) as { [key: string]: number | undefined };
  for (const key in thresholds) {
    if (thresholds[key] !== undefined) (context as unknown as { [key: string]: number })[key] = thresholds[key] as number;
  }
  // The first sample moves the machine to the mode this level (and the hysteresis) calls for.
  context.shed = shedLevel;
  appActions = options.powerActions;
  linkUp = options.linkUp;
  shipping = shippingStarts;
  return new TableActor(powerModeTable, { actions: powerModeAction, guards: powerModeGuardOrLink, context: context }).start();
}

function powerModeAction(name: PowerModeAction, context: PowerModeContext, event: PowerModeEvent | SystemEvent): void {
  if (name === 'rememberBattery') return powerModeUpdate(name, context, event);
  if (appActions) appActions(name);
  if (name === 'enterShippingMode') shipping();
}

/** The model's guards, and linkUp (false when the app watches no link). */
function powerModeGuardOrLink(name: PowerModeGuard, context: PowerModeContext, event: PowerModeEvent | SystemEvent): boolean {
  return name === 'linkUp' ? !!linkUp && linkUp() : powerModeGuard(name as ModelGuard, context, event);
}
