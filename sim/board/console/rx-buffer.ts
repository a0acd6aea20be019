/**
 * Bytes a console device (Serial1, Bluetooth) received while nobody listened
 * on('data'): kept on the device object for Serial.available()/read().
 */
const BUFFER_KEY = '#rxbuffer';

export function buffered(stream: object): string {
  const v = (stream as Record<string, unknown>)[BUFFER_KEY];
  return typeof v === 'string' ? v : '';
}

export function setBuffered(stream: object, text: string): void {
  Object.defineProperty(stream, BUFFER_KEY, { value: text, configurable: true, enumerable: false, writable: true });
}
