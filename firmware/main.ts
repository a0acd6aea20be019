// Entry of dist/strap.js: the one file flashed to the board's Storage as boot code.
import { boot } from './boot/boot';

boot();
