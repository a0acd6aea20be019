/** One rule violation or build error, located in the firmware's TypeScript source when the source maps allow. */
export interface Problem {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  rule: string;
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.rule}: ${problem.message}`;
}

export class FirmwareBuildError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    super(`firmware build failed with ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` + problems.map(formatProblem).join('\n'));
    this.name = 'FirmwareBuildError';
    this.problems = problems;
  }
}

/** Sorted by file, line, column; exact duplicates dropped. */
export function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique: Problem[] = [];
  for (const problem of problems) {
    const key = formatProblem(problem);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(problem);
  }
  return unique.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}
