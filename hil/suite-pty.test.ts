// The HIL suite (hil/scenarios/) on the virtual strap in another process
// behind a real pseudo-terminal, skipped ahead when idle (needs socat).
import { findSocat } from '../sim/board/console/links/socat-binary';
import { PtyProcessRig } from './rigs/pty-process/pty-process-rig';
import { SCENARIOS } from './scenarios/index';
import { describeSuiteOnRig } from './testing/suite-on-rig';

describeSuiteOnRig('the pty rig (a separate board process on a pseudo-terminal; needs socat)', () => PtyProcessRig.open(), Boolean(findSocat()), SCENARIOS);
