/**
 * The secure element: non-volatile memory, the GlobalPlatform registry with
 * its issuer security domain, and its two interfaces, the host interface
 * (T=1 over I2C, t1-link.ts) and the contactless one (contactless.ts), each
 * with its own selection state over the same applets.
 *
 *   const se = new SecureElement({ clock, isdKeys });
 *   se.install(paymentApplet);
 *   se.attachTo(board.i2c);               // 7-bit address '48'
 *   se.setPowered(true);                  // SE_EN high (the wiring drives it)
 *   controller.attachSecureElement(se.contactless);
 *
 * Power: SE_EN low ⇒ the SE does not acknowledge its address and draws
 * nothing; a power cut injected into the non-volatile memory
 * (`se.nvm.cutPowerAfterWrites(n)`) drops the SE the same way in the middle
 * of the command, and the next `setPowered(true)` recovers the memory from
 * its journal (nvm.ts) before anything runs.
 */
import type { VirtualClock } from '../clock/virtual-clock';
import type { I2CBus } from '../board/buses/i2c-bus';
import type { StaticKeys } from '../../protocols/globalplatform/scp03';
import type { Applet, SeEvent } from './applet';
import { NonVolatileMemory, PowerCut } from './nvm';
import { AppletRegistry, LIFE_CYCLE } from './registry';
import type { RegistryEntry } from './registry';
import { ApduRuntime } from './runtime';
import { DEFAULT_ISD_AID, ISD_PRIVILEGES, IssuerSecurityDomain } from './isd';
import { SE050_I2C_ADDRESS, T1OverI2C } from './t1-link';
import { SeContactless } from './contactless';
import { DEFAULT_TIMING, apduProcessingUs, supplyCurrentUa } from './timing';
import type { SePowerState, SeTiming } from './timing';
import { buildAtr } from './atr';

export interface SecureElementOptions {
  clock: VirtualClock;
  /** The ISD's SCP03 static keys (ENC, MAC, DEK), as the factory put them. */
  isdKeys: StaticKeys;
  isdKeyVersion?: number;
  isdAid?: Uint8Array;
  timing?: Partial<SeTiming>;
  /** Keep records across SE objects (a board rebuilt around the same part). */
  nvm?: NonVolatileMemory;
  /** Starts powered (SE_EN high). Default false: the wiring raises SE_EN. */
  powered?: boolean;
}

export class SecureElement {
  readonly clock: VirtualClock;
  readonly timing: SeTiming;
  readonly nvm: NonVolatileMemory;
  readonly registry: AppletRegistry;
  readonly isd: IssuerSecurityDomain;
  readonly hostRuntime: ApduRuntime;
  readonly link: T1OverI2C;
  readonly contactless: SeContactless;
  private poweredOn = false;
  private awakeAtMs = 0;
  private lastActivityMs = 0;
  private activeUntilMs = 0;
  private sessionEnded = true;
  private stateCheckAtMs = -1;
  private readonly listeners = new Set<(event: SeEvent) => void>();
  private readonly stateListeners = new Set<(state: SePowerState) => void>();

  constructor(options: SecureElementOptions) {
    this.clock = options.clock;
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.nvm = options.nvm ?? new NonVolatileMemory();
    this.registry = new AppletRegistry(this.nvm);
    const isdAid = options.isdAid ?? DEFAULT_ISD_AID;
    this.isd = new IssuerSecurityDomain({ registry: this.registry, keys: options.isdKeys, keyVersion: options.isdKeyVersion ?? 0x30, aid: isdAid });
    this.registry.install(this.isd, { privileges: ISD_PRIVILEGES, lifeCycle: LIFE_CYCLE.secured, contactless: false });
    const notify = (event: SeEvent) => this.emit(event);
    this.hostRuntime = new ApduRuntime({ via: 'host', registry: this.registry, notify, defaultAid: isdAid });
    this.link = new T1OverI2C({
      clock: this.clock,
      timing: this.timing,
      acceptsTraffic: () => this.poweredOn && this.clock.nowMs() >= this.awakeAtMs,
      apdu: (command) => this.runApdu(this.hostRuntime, command),
      atr: () => buildAtr(this.timing),
      endOfSession: () => this.endSession(),
      chipReset: () => this.reboot(),
      activity: () => this.touch(),
    });
    this.contactless = new SeContactless(this, notify);
    if (options.powered) this.setPowered(true);
  }

  /** Adds an applet (SELECTABLE unless its state is already in NVM). */
  install(applet: Applet, options: { privileges?: number; contactless?: boolean } = {}): RegistryEntry {
    return this.registry.install(applet, options);
  }

  /** Puts the host interface on the bus at its 7-bit address (SE050 default '48'). */
  attachTo(bus: I2CBus, address = SE050_I2C_ADDRESS): void {
    bus.attach(address, this.link);
  }

  /** SE_EN: off ⇒ address NACK and no current; on ⇒ memory recovered, awake after the wake-up time. */
  setPowered(on: boolean): void {
    if (on === this.poweredOn) return;
    this.poweredOn = on;
    if (on) {
      this.nvm.recover();
      this.reboot();
      this.awakeAtMs = this.clock.nowMs() + this.timing.wakeUpMs;
    } else {
      this.loseRam();
    }
    this.stateChanged();
  }

  get powered(): boolean {
    return this.poweredOn;
  }

  /** The power state now: active while working (or within a command), idle after, deep power-down after the end of an APDU session or a quiet while. */
  powerState(): SePowerState {
    if (!this.poweredOn) return 'off';
    const now = this.clock.nowMs();
    if (now < this.activeUntilMs || this.link.busy() || this.contactless.fieldPresent) return 'active';
    if (this.sessionEnded || now - this.lastActivityMs >= this.timing.idleToDeepPowerDownMs) return 'deep-power-down';
    return 'idle';
  }

  currentUa(): number {
    return supplyCurrentUa(this.powerState());
  }

  onEvent(listener: (event: SeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The contactless field came or went (SeContactless): listeners hear the power state. */
  fieldChanged(): void {
    this.stateChanged();
  }

  /** Called when the power state may have changed (for the power model's bookkeeping). */
  onPowerStateChange(listener: (state: SePowerState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Runs one APDU on a runtime with the timing model; undefined if the supply
   * went away (an injected power cut): the SE is then off until setPowered(true).
   */
  runApdu(runtime: ApduRuntime, command: Uint8Array): { response: Uint8Array; processingUs: number } | undefined {
    const writesBefore = this.nvm.writeCount;
    let response: Uint8Array;
    try {
      response = runtime.process(command);
    } catch (e) {
      if (!(e instanceof PowerCut)) throw e;
      this.poweredOn = false;
      this.loseRam();
      this.stateChanged();
      return undefined;
    }
    const processingUs = apduProcessingUs(this.timing, command.length, response.length, this.nvm.writeCount - writesBefore, runtime.lastAppletUs);
    this.activeUntilMs = Math.max(this.activeUntilMs, this.clock.nowMs() + processingUs / 1000);
    this.sessionEnded = false;
    this.stateChanged();
    return { response, processingUs };
  }

  /** Internal: traffic on the host interface. */
  touch(): void {
    this.lastActivityMs = this.clock.nowMs();
    this.sessionEnded = false;
  }

  private endSession(): void {
    this.hostRuntime.reset();
    this.sessionEnded = true;
    this.stateChanged();
  }

  /** Supply gone: every RAM state goes, no applet code runs but `reset`. */
  private loseRam(): void {
    this.hostRuntime.forget();
    this.contactless.powerLost();
    this.link.reset();
    for (const entry of this.registry.all()) entry.applet.reset?.();
  }

  private reboot(): void {
    for (const entry of this.registry.all()) entry.applet.reset?.();
    this.hostRuntime.forget();
    this.hostRuntime.reset();
    this.contactless.powerLost();
    this.link.reset();
    this.sessionEnded = true;
  }

  private emit(event: SeEvent): void {
    for (const l of [...this.listeners]) l(event);
  }

  private stateChanged(): void {
    const state = this.powerState();
    for (const l of [...this.stateListeners]) l(state);
    // The state also moves with time (active → idle → deep power-down): tell the listeners when it does.
    if (this.stateListeners.size === 0 || state === 'off' || state === 'deep-power-down') return;
    const now = this.clock.nowMs();
    const next = now < this.activeUntilMs ? this.activeUntilMs : this.lastActivityMs + this.timing.idleToDeepPowerDownMs;
    if (next > now && next !== this.stateCheckAtMs) {
      this.stateCheckAtMs = next;
      this.clock.scheduleAt(next, () => this.stateChanged(), 'se:power-state');
    }
  }
}
