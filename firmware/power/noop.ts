/** Does nothing: for an action or port with nothing to do. One function for the folder: each copy costs Espruino a few variables. */
export function noop(): void {}
