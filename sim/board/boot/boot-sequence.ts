/**
 * The board's boot sequence and the deferred reset()/load()/save().
 *
 * Boot sequence (src/jsinteractive.c jsiInit/jsiSemiInit/jsiSoftInit,
 * src/jsflash.c jsfLoadBootCodeFromFlash):
 *   power-on / hard reset: Storage check ("Storage is corrupt." → erase all),
 *     saved state (.varimg) if any, then .boot0….boot3, then .bootrst if it
 *     exists else .bootcde, then E.on('init') handlers and onInit(); the logo
 *     is printed only when nothing was saved; then the prompt.
 *   reset(): E 'kill' handlers, RAM cleared, .boot0-3 and .bootrst (not
 *     .bootcde), 'init', logo, prompt.
 *   load(): 'kill', RAM cleared, saved state, .boot0-3 + .bootcde, 'init'.
 *   load(file): 'kill', RAM cleared, as reset() then the file is evaluated.
 *   save(): 'kill', state written to .varimg, then boot code and 'init' run
 *     again in the same RAM (jsiSoftInit), as Espruino does.
 *
 * What save() writes and loading replays: saved-state.ts.
 */
import type { BoardEvents } from '../board-events';
import type { BoardConsole } from '../console/board-console';
import type { PinBank } from '../io/pin-bank';
import { bytesToLatin1, latin1ToBytes } from '../runtime/bytes';
import { consoleFilename, type CodeRunner } from '../runtime/code-runner';
import { PUCKJS_BLOCK_SIZE } from '../runtime/memory-estimate';
import { memoryFigures, type DeferredWork, type Ram, type RamSlot } from '../runtime/ram';
import { PowerCut } from '../storage/flash-memory';
import { StorageError, type JsfStorage } from '../storage/jsf-storage';
import { BOOT_BANNER } from './banner';
import { SAVED_CODE_FILES, VARIMG, flashContainsCode, savedStateImage, savedStateSources } from './saved-state';

export interface BootWiring {
  storage: JsfStorage;
  pins: PinBank;
  slot: RamSlot;
  events: BoardEvents;
  console: Pick<BoardConsole, 'repl' | 'echoOn' | 'muted' | 'printText' | 'resetEcho' | 'lock'>;
  code: Pick<CodeRunner, 'runCallback' | 'handleThrown' | 'listeners' | 'readGlobal'>;
  /** A new RAM, made the live one. */
  createRam(): Ram;
}

export class BootSequence {
  constructor(private readonly wiring: BootWiring) {}

  /** Power-on or hard reset (jsiInit): the hardware has just started. */
  boot(reason: 'power-on' | 'hard-reset' | 'watchdog'): void {
    const { storage, console } = this.wiring;
    console.lock.powerOn(); // jsiInit: jsiStatus starts afresh
    const ram = this.freshRam();
    // jsiSemiInit on the first boot: a broken header chain erases Storage
    if (!storage.isValid()) {
      console.printText(ram, 'Storage is corrupt.\n');
      storage.eraseAll();
    }
    const hadCode = flashContainsCode(storage);
    if (hadCode) this.loadSavedState(ram);
    console.lock.lockIfPasswordSet(ram); // a password in the saved state locks the console, before the boot code
    this.softInit(ram, false);
    if (!this.wiring.slot.isCurrent(ram)) return;
    this.finishSemiInit(ram, !hadCode);
    this.wiring.events.booted(reason);
  }

  /** Phase 4 of an idle pass. */
  afterEvents(ram: Ram): void {
    const work = ram.deferred.shift();
    ram.deferred.length = 0;
    if (work) this.runDeferred(ram, work);
    this.wiring.console.repl.endLoopPass?.();
  }

  /** The console's state back to its start and a new RAM. */
  private freshRam(): Ram {
    this.wiring.console.repl.resetConsoleState?.();
    this.wiring.console.resetEcho();
    return this.wiring.createRam();
  }

  /** 'kill' handlers, RAM cleared, pins back to their reset state, then a new RAM. */
  private restartRam(ram: Ram): Ram {
    this.softKill(ram);
    this.wiring.slot.kill();
    this.wiring.pins.resetStates();
    return this.freshRam();
  }

  /** The end of jsiSemiInit: logo (if nothing was loaded), a newline, the prompt. */
  private finishSemiInit(ram: Ram, showLogo: boolean): void {
    const { console } = this.wiring;
    if (console.echoOn) console.printText(ram, (showLogo ? BOOT_BANNER : '') + '\n');
    console.repl.showPrompt();
    console.repl.endLoopPass?.();
    ram.loop.queueWork();
  }

  /** jsiSoftInit: boot files, then E 'init' handlers and onInit(). */
  private softInit(ram: Ram, hasBeenReset: boolean): void {
    const { slot, console, code } = this.wiring;
    for (let i = 0; i < 4; i++) this.runBootFile(ram, `.boot${i}`);
    if (!slot.isCurrent(ram)) return;
    const resetCode = this.wiring.storage.find('.bootrst') ? '.bootrst' : undefined;
    const bootFile = resetCode ?? (hasBeenReset ? undefined : '.bootcde');
    if (bootFile) this.runBootFile(ram, bootFile);
    if (!slot.isCurrent(ram)) return;
    for (const listener of code.listeners(ram, ram.E, 'init')) {
      code.runCallback(ram, listener, ram.E, []);
      if (!slot.isCurrent(ram)) return;
    }
    const onInit = code.readGlobal(ram, 'onInit');
    if (typeof onInit === 'function') {
      if (console.echoOn) console.printText(ram, 'Running onInit()...\n');
      code.runCallback(ram, onInit, undefined, []);
    }
  }

  private runBootFile(ram: Ram, name: string): void {
    const bytes = this.wiring.storage.read(name);
    if (!bytes || !this.wiring.slot.isCurrent(ram)) return;
    const { events } = this.wiring;
    events.noteJs('start', 'boot');
    try {
      ram.runner.runProgram(bytesToLatin1(bytes), name);
    } catch (error) {
      this.wiring.code.handleThrown(ram, error);
    } finally {
      events.noteJs('end', 'boot');
    }
  }

  /** The saved state (.varimg): console lines replayed silently. */
  private loadSavedState(ram: Ram): void {
    const { storage, console } = this.wiring;
    const bytes = storage.read(VARIMG);
    if (!bytes) return;
    console.printText(ram, `Loading ${bytes.length} bytes from flash...\n`);
    const sources = savedStateSources(bytes);
    console.muted = true;
    try {
      for (const [i, source] of sources.entries()) {
        try {
          ram.runner.runProgram(source, consoleFilename(i + 1));
        } catch (error) {
          this.wiring.code.handleThrown(ram, error);
        }
        if (!this.wiring.slot.isCurrent(ram)) return;
      }
    } finally {
      console.muted = false;
    }
    ram.evalLog.replace(sources);
    ram.deferred.length = 0;
  }

  /** Runs reset()/load()/save() once the interpreter is idle (JSIS_TODO_*). */
  private runDeferred(ram: Ram, work: DeferredWork): void {
    const { storage, console, slot, events } = this.wiring;
    switch (work.kind) {
      case 'reset': {
        if (work.clearFlash) {
          console.printText(ram, 'Erasing saved code.');
          for (const f of SAVED_CODE_FILES) storage.erase(f);
          console.printText(ram, '\nDone!\n');
        }
        const next = this.restartRam(ram);
        this.softInit(next, true);
        if (slot.isCurrent(next)) this.finishSemiInit(next, true);
        events.booted('reset');
        return;
      }
      case 'load': {
        const next = this.restartRam(ram);
        if (work.filename !== undefined) {
          next.realm.global.__FILE__ = work.filename;
          this.softInit(next, true);
          if (!slot.isCurrent(next)) return;
          this.finishSemiInit(next, true);
          this.runBootFile(next, work.filename);
        } else {
          this.loadSavedState(next);
          console.lock.lockIfPasswordSet(next);
          this.softInit(next, false);
          if (!slot.isCurrent(next)) return;
          console.repl.showPrompt();
          next.loop.queueWork();
        }
        events.booted('load');
        return;
      }
      case 'save': {
        this.softKill(ram);
        const sources = ram.evalLog.sources;
        const imageLength = ram.evalLog.imageLength;
        const usageBytes = memoryFigures(ram).usage * PUCKJS_BLOCK_SIZE;
        console.printText(ram, 'Compacting Flash...\nCalculating Size...\nWriting..');
        try {
          // a log that outgrew the flash: Storage refuses a file of its length as it would the whole image
          storage.write(VARIMG, sources ? latin1ToBytes(savedStateImage(sources)) : new Uint8Array(imageLength));
        } catch (error) {
          if (error instanceof PowerCut) return;
          if (!(error instanceof StorageError)) throw error;
          this.wiring.code.handleThrown(ram, ram.realm.error('Error', error.message));
        }
        console.printText(ram, `\nCompressed ${usageBytes} bytes to ${imageLength}\n`);
        this.softInit(ram, false);
        events.booted('save');
        return;
      }
    }
  }

  /** jsiSoftKill: E 'kill' handlers. */
  private softKill(ram: Ram): void {
    for (const listener of this.wiring.code.listeners(ram, ram.E, 'kill')) this.wiring.code.runCallback(ram, listener, ram.E, []);
  }
}
