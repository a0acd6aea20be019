// `npm run build:firmware`: firmware/main.ts → dist/strap.js (+ .map), or the problems and exit code 1.
import { buildFirmware, describeSize, FirmwareBuildError, formatProblem } from './build';

try {
  const result = await buildFirmware({ write: true });
  console.log(describeSize(result));
} catch (error) {
  if (!(error instanceof FirmwareBuildError)) throw error;
  for (const problem of error.problems) console.error(formatProblem(problem));
  console.error(`dist/strap.js not written: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}`);
  process.exitCode = 1;
}
