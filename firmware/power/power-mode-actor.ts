import { powerModeGuards, powerModeUpdates, type PowerModeContext } from '../statecharts/power-mode.model';
import { TableActor, type Implementations } from '../statecharts/runtime';
import { powerModeTable, type PowerModeAction } from '../statecharts/tables/power-mode.table';
import { noop } from './noop';

// The power-mode statechart as the scheduler runs it: its table actor, with
// the shed level it left off at (from flash) in its context, the model's
// context update and guards, the app's radio actions, and shipping mode
// reported back to the scheduler. The machine's shed/restore actions need no
// code of their own: the scheduler reads the shed level after every sample.

export type PowerThresholds = Pick<PowerModeContext, 'telP' | 'savP' | 'usrP' | 'resP' | 'hysP'>;

export interface PowerModeOptions {
  /** Shedding thresholds (percent) other than the power-mode machine's. */
  thresholds?: Partial<PowerThresholds>;
  /** The power mode's hardware actions (advertising, connection interval, shipping mode, …); those not given do nothing. */
  powerActions?: Partial<Record<PowerModeAction, () => void>>;
  /** Whether a central is connected (the power mode's linkUp guard). */
  linkUp?: () => boolean;
}

type PowerAction = (context: PowerModeContext, event: unknown) => void;

/** Creates and starts the power-mode actor; `shippingStarts` hears shipping mode start (after the app's own action, if it gave one). */
export function createPowerMode(options: PowerModeOptions, shedLevel: number, shippingStarts: () => void): TableActor<typeof powerModeTable> {
  const context: PowerModeContext = JSON.parse(powerModeTable('c'));
  const thresholds = (options.thresholds || {}) as { [key: string]: number | undefined };
  for (const key in thresholds) {
    if (thresholds[key] !== undefined) (context as unknown as { [key: string]: number })[key] = thresholds[key] as number;
  }
  // The first sample moves the machine to the mode this level (and the hysteresis) calls for.
  context.shed = shedLevel;
  const given = (options.powerActions || {}) as { [name: string]: (() => void) | undefined };
  // Only the actions given: the table runtime skips an action it is not given (no do-nothing entries in RAM).
  const actions = Object.assign({}, given) as unknown as Record<PowerModeAction, PowerAction>;
  actions.rememberBattery = powerModeUpdates.rememberBattery as PowerAction;
  // A wrapper only when the app has a shipping action of its own (the strap has none).
  const appAction = given.enterShippingMode;
  actions.enterShippingMode = appAction
    ? function () {
        appAction();
        shippingStarts();
      }
    : shippingStarts;
  return new TableActor(powerModeTable, {
    actions: actions as Implementations<typeof powerModeTable>['actions'],
    // No link watch given: noop's undefined fails the guard, as false would.
    guards: Object.assign({ linkUp: options.linkUp || (noop as () => boolean) }, powerModeGuards),
    context: context,
  }).start();
}
