// The HIL suite (hil/scenarios/) on the virtual strap in another process
// behind a real pseudo-terminal, skipped ahead when idle (needs socat).
import { findSocat } from '../sim/board/console/links/socat-binary';
import { PtyProcessRig } from './rigs/pty-process/pty-process-rig';
import { SCENARIOS } from './scenarios/index';
import { describeSuiteOnRig } from './testing/suite-on-rig';

// ble-flashing runs in real time here (the air is real while the phone's radio is lent): ~28 s of wall time for
// dist/strap.js at the strap's ATT MTU of 23. The in-process rig (which needs no socat) runs it in `npm test`,
// its lent air 10 times as fast (~5 s); `strap hil --rig pty` runs it here.
const ELSEWHERE = { 'ble-flashing': 'runs in real time; suite-in-process.test.ts runs it in npm test, strap hil --rig pty here' };

describeSuiteOnRig('the pty rig (a separate board process on a pseudo-terminal; needs socat)', () => PtyProcessRig.open(), Boolean(findSocat()), SCENARIOS, ELSEWHERE);
