/** Short LED flashes for feedback; a flash never leaves an LED on. */
export function flash(led: Pin, durationMs: number): void {
  led.write(true);
  setTimeout(function () {
    led.write(false);
  }, durationMs);
}
