// `npm run build:firmware`: firmware/main.ts → dist/strap.js (+ .map), or the problems and exit code 1.
import { buildAndReport } from './build-and-report';

process.exitCode = await buildAndReport();
