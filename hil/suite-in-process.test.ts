// The HIL suite (hil/scenarios/) on the virtual strap in this process.
import { InProcessRig } from './rigs/in-process/in-process-rig';
import { SCENARIOS } from './scenarios/index';
import { describeSuiteOnRig } from './testing/suite-on-rig';

describeSuiteOnRig('the in-process rig', () => InProcessRig.open(), true, SCENARIOS);
