/** What a `strap` subcommand is: a name, its help and a run that returns the exit code. */
export interface Command {
  readonly name: string;
  /** One line for `strap --help`. */
  readonly summary: string;
  /** `strap <name> --help` (printed by the dispatcher); none when the command passes --help on (sim). */
  readonly help?: string;
  run(argv: string[]): Promise<number>;
}
