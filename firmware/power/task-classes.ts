// Priority classes of scheduled work, most important first. Lower numbers win;
// shedding takes the highest numbers first (telemetry) and never payment.

export const PAYMENT = 0;
export const SECURITY = 1;
export const USER_FACING = 2;
export const SYNC = 3;
export const TELEMETRY = 4;

export type TaskClass = 0 | 1 | 2 | 3 | 4;

/**
 * Whether a class is shed at a shed level (power-mode.model.ts: rungs shed,
 * 0 … 4): telemetry from level 1, sync from 2, user-facing from 3, security
 * from 4; payment never.
 */
export function isShed(taskClass: TaskClass, shedLevel: number): boolean {
  return taskClass > PAYMENT && taskClass + shedLevel > TELEMETRY;
}
