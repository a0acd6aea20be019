/**
 * What Espruino prints when it starts with nothing saved (src/jsinteractive.c,
 * jsiSemiInit): "\e[?7l" (no line wrap, non-Linux builds), the logo, version
 * and copyright line (the year as in the 2v2x source read), then an empty
 * line. Puck.js builds omit the donation request.
 */
import { ESPRUINO_VERSION } from '../api/install-process';

export const BOOT_BANNER =
  '\x1b[?7l' +
  '\n' +
  ' ____                 _ \n' +
  '|  __|___ ___ ___ _ _|_|___ ___ \n' +
  '|  __|_ -| . |  _| | | |   | . |\n' +
  '|____|___|  _|_| |___|_|_|_|___|\n' +
  '         |_| espruino.com\n' +
  ' ' +
  ESPRUINO_VERSION +
  ' (c) 2021 G.Williams\n';
