/**
 * What a VirtualBoard reports to the host side (boots, power losses, pin
 * edges, JS runs, console links) and the small emitter that delivers it.
 */
import type { BoardClock } from './runtime/board-clock';
import { ListenerList } from './listener-list';

/** A pin's level changed, at this board time. */
export interface PinChange {
  pin: number;
  level: boolean;
  timeMs: number;
}

export type PinListener = (change: PinChange) => void;

export type BootReason = 'power-on' | 'hard-reset' | 'watchdog' | 'reset' | 'load' | 'save';
export type PowerOffReason = 'power-off' | 'power-cut' | 'hard-reset' | 'watchdog' | 'brownout';

/** What ran when the board ran JavaScript (for the power model: JS costs CPU time, virtual time does not move). */
export type JsRunKind = 'callback' | 'boot' | 'console';

export interface BoardEventMap {
  boot: { reason: BootReason; timeMs: number };
  powerOff: { reason: PowerOffReason; timeMs: number };
  pin: PinChange;
  /** JavaScript starts or ends running (in zero virtual time). */
  js: { phase: 'start' | 'end'; kind: JsRunKind; timeMs: number };
  /** A host attached to or left a console link (the listener count after the change). */
  link: { name: 'Serial1' | 'Bluetooth'; listeners: number };
}

export type Listener<T> = (event: T) => void;

/** The board's listeners by event; emitting to none costs nothing. */
export class BoardEvents {
  private readonly listeners: { [K in keyof BoardEventMap]: ListenerList<BoardEventMap[K]> } = {
    boot: new ListenerList(),
    powerOff: new ListenerList(),
    pin: new ListenerList(),
    js: new ListenerList(),
    link: new ListenerList(),
  };

  constructor(private readonly clock: BoardClock) {}

  on<K extends keyof BoardEventMap>(event: K, listener: Listener<BoardEventMap[K]>): () => void {
    return (this.listeners[event] as ListenerList<BoardEventMap[K]>).add(listener);
  }

  emit<K extends keyof BoardEventMap>(event: K, payload: BoardEventMap[K]): void {
    (this.listeners[event] as ListenerList<BoardEventMap[K]>).call(payload);
  }

  /** The board has booted, now. */
  booted(reason: BootReason): void {
    this.emit('boot', { reason, timeMs: this.clock.nowMs() });
  }

  /** JavaScript starts or ends running (no allocation unless someone listens). */
  noteJs(phase: 'start' | 'end', kind: JsRunKind): void {
    if (this.listeners.js.size > 0) this.emit('js', { phase, kind, timeMs: this.clock.nowMs() });
  }
}
