/**
 * The scenario a command line names: the embedded default, none, or a JSON
 * file checked by parseScenario. Every problem is a ScenarioError naming the
 * file (and the field or step), for the caller to report as a usage error.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_SCENARIO } from './default-scenario';
import { ScenarioError, parseScenario, type Scenario } from './scenario';

/** `undefined` → the default scenario; `none` → no scenario; anything else a JSON file's path. */
export function loadScenarioOption(option: string | undefined): Scenario | undefined {
  if (option === undefined) return DEFAULT_SCENARIO;
  if (option === 'none') return undefined;
  const path = resolve(option);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioError(code === 'ENOENT' ? `${option}: no such file` : `cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`${option}: not JSON: ${(error as Error).message}`);
  }
  return parseScenario(json, option);
}
