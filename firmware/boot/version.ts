export const FIRMWARE_NAME = 'strap';
export const FIRMWARE_VERSION = '0.1.0';
