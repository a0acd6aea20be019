/** Asleep, a bonded phone finds the strap in a sync window this long, this often: the period the standby budget allows (firmware/ble/README.md). */
export const SYNC_MS = 180000;
export const SYNC_WINDOW_MS = 1500;
