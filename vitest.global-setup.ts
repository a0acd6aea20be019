// Tests that boot the virtual strap or flash it need dist/strap.js: build it once per run.
import { buildFirmware, describeSize } from './firmware/build/build';

export default async function setup(): Promise<void> {
  const result = await buildFirmware({ write: true });
  console.log(describeSize(result));
}
