// `npm run build:firmware [-- --sizes]`: firmware/main.ts → dist/strap.js (+ .map), or the problems and exit code 1.
// --sizes also prints where the bundle's bytes go (size-report.ts).
import { buildAndReport } from './build-and-report';

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--sizes');
if (unknown.length > 0) {
  process.stderr.write(`unknown option ${unknown.join(' ')}; usage: npm run build:firmware [-- --sizes]\n`);
  process.exitCode = 2;
} else {
  process.exitCode = await buildAndReport(undefined, { sizes: args.includes('--sizes') });
}
