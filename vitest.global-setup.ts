// Tests that boot the virtual strap or flash it need dist/strap.js, and tests
// that start the `strap` CLI run it compiled (cli/testing/cli-bundle.ts):
// build both once per run. The firmware's type check is left to
// firmware/build/build.test.ts (the same build, type-checked), so that every
// worker does not wait for it before its first test.
import { buildFirmware, describeSize } from './firmware/build/build';
import { buildCliBundle } from './cli/testing/cli-bundle';

export default async function setup(): Promise<void> {
  const [result] = await Promise.all([buildFirmware({ write: true, typeCheck: false }), buildCliBundle()]);
  console.log(describeSize(result));
}
