/** The HIL suite, in the order it runs: quick console checks first, power and link disruptions later. */
import { batteryScenario } from './battery';
import { bleFlashingScenario, bleForgetScenario, blePairingScenario, bleReconnectScenario, bleWrongPasskeyScenario } from './ble';
import { bootScenario } from './boot';
import { buttonScenario } from './button';
import { consoleRpcScenario, wireResyncScenario } from './console-rpc';
import { energyScenario } from './energy';
import { flashingScenario } from './flashing';
import { ledScenario } from './led';
import { memoryScenario } from './memory';
import { paymentFieldLostScenario, paymentLowCellScenario, paymentOffWristScenario, paymentScenario, paymentSuspendedScenario } from './payment';
import { portLossScenario } from './port-loss';
import type { Scenario } from './scenario';
import { storageScenario } from './storage';
import { rebootScenario, resetPinScenario, softResetScenario, watchdogScenario } from './watchdog';

export type { Scenario, ScenarioContext } from './scenario';

export const SCENARIOS: readonly Scenario[] = [
  consoleRpcScenario,
  wireResyncScenario,
  memoryScenario,
  buttonScenario,
  ledScenario,
  batteryScenario,
  energyScenario,
  paymentScenario,
  paymentOffWristScenario,
  paymentLowCellScenario,
  paymentFieldLostScenario,
  paymentSuspendedScenario,
  blePairingScenario,
  bleReconnectScenario,
  bleWrongPasskeyScenario,
  bleForgetScenario,
  bleFlashingScenario,
  bootScenario,
  storageScenario,
  rebootScenario,
  watchdogScenario,
  softResetScenario,
  resetPinScenario,
  portLossScenario,
  flashingScenario,
];
