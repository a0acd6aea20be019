/** What the phone reports as each step happens: a list a CLI prints, and a listener for printing live. */
export type PhoneStep = 'button' | 'window' | 'tap' | 'passkey' | 'scan' | 'connect' | 'pair' | 'bond' | 'reconnect' | 'encrypt' | 'discover' | 'read' | 'write' | 'subscribe' | 'notify' | 'wallet' | 'disconnect';

export interface PhoneEvent {
  /** The phone's clock (virtual time in the simulator). */
  atMs: number;
  step: PhoneStep;
  ok: boolean;
  text: string;
}

/** A step that failed, with the reason said for a person (the event list has it too). */
export class PhoneError extends Error {
  constructor(
    readonly step: PhoneStep,
    readonly reason: string,
    /** The protocol's code where there is one: SMP Pairing Failed reason, HCI status, ATT error. */
    readonly code?: number,
  ) {
    super(`${step}: ${reason}`);
    this.name = 'PhoneError';
  }
}

export class PhoneLog {
  readonly events: PhoneEvent[] = [];
  private readonly listeners: ((e: PhoneEvent) => void)[] = [];

  constructor(private readonly nowMs: () => number) {}

  onEvent(listener: (e: PhoneEvent) => void): void {
    this.listeners.push(listener);
  }

  ok(step: PhoneStep, text: string): void {
    this.add({ atMs: this.nowMs(), step, ok: true, text });
  }

  /** Records the failure and returns the error to throw. */
  fail(step: PhoneStep, reason: string, code?: number): PhoneError {
    this.add({ atMs: this.nowMs(), step, ok: false, text: reason });
    return new PhoneError(step, reason, code);
  }

  private add(e: PhoneEvent): void {
    this.events.push(e);
    for (const l of this.listeners) l(e);
  }
}

/** One line per event: `  12.345 s  pair       ok   paired ...`. */
export function formatPhoneEvent(e: PhoneEvent): string {
  return `${(e.atMs / 1000).toFixed(3).padStart(9)} s  ${e.step.padEnd(10)} ${e.ok ? 'ok  ' : 'FAIL'} ${e.text}`;
}
