// The real-time rig's quick part, its 'ble' scenarios (testing/realtime-parts.ts), in a board process of
// their own beside the other suite-realtime*.test.ts files (needs socat).
import { findSocat } from '../sim/board/console/links/socat-binary';
import { PtyProcessRig } from './rigs/pty-process/pty-process-rig';
import { realtimePart } from './testing/realtime-parts';
import { describeSuiteOnRig } from './testing/suite-on-rig';

describeSuiteOnRig('the real-time rig (its quick part, ble; needs socat)', () => PtyProcessRig.open({ realtime: true }), Boolean(findSocat()), realtimePart('ble'));
