/**
 * The values of GATT's declaration attributes and of the Client
 * Characteristic Configuration descriptor (Core v5.4 Vol 3 Part G 3.1–3.3),
 * what a GATT server returns from its attribute table and a client reads in
 * discovery. UUIDs are their 2 or 16 octets LSB first (uuid.ts).
 *
 *   «Primary/Secondary Service» value: the service UUID (3.1)
 *   «Include» value: included service handle u16 | end group handle u16 | [16-bit UUID] (3.2)
 *   «Characteristic» value: properties u8 | value handle u16 | UUID (3.3.1)
 *   Client Characteristic Configuration: u16 bit field (3.3.3.3)
 */
import { ByteReader, ByteWriter, fail, ok } from '../bytes';
import type { Result } from '../bytes';

export interface CharacteristicDeclaration {
  /** CharacteristicProperty bits. */
  properties: number;
  valueHandle: number;
  uuid: Uint8Array;
}

export interface IncludeDeclaration {
  includedServiceHandle: number;
  endGroupHandle: number;
  /** Present only for a 16-bit service UUID (3.2). */
  serviceUuid?: Uint8Array;
}

export type DeclarationError = { reason: 'length'; what: string; got: number; message: string };

/** Throws RangeError on a UUID that is neither 2 nor 16 octets. */
export function encodeCharacteristicDeclaration(declaration: CharacteristicDeclaration): Uint8Array {
  return new ByteWriter().u8(declaration.properties).u16(declaration.valueHandle).bytes(uuidOctets(declaration.uuid)).finish();
}

export function decodeCharacteristicDeclaration(value: Uint8Array): Result<CharacteristicDeclaration, DeclarationError> {
  if (value.length !== 5 && value.length !== 19) return fail(lengthError('characteristic declaration', value.length, '5 or 19'));
  const r = new ByteReader(value);
  return ok({ properties: r.u8(), valueHandle: r.u16(), uuid: r.rest() });
}

/** Throws RangeError on a 128-bit service UUID (3.2: then the UUID is left out and read from the service). */
export function encodeIncludeDeclaration(declaration: IncludeDeclaration): Uint8Array {
  const w = new ByteWriter().u16(declaration.includedServiceHandle).u16(declaration.endGroupHandle);
  if (declaration.serviceUuid) w.bytes(declaration.serviceUuid, 2);
  return w.finish();
}

export function decodeIncludeDeclaration(value: Uint8Array): Result<IncludeDeclaration, DeclarationError> {
  if (value.length !== 4 && value.length !== 6) return fail(lengthError('include declaration', value.length, '4 or 6'));
  const r = new ByteReader(value);
  const includedServiceHandle = r.u16();
  const endGroupHandle = r.u16();
  return ok(value.length === 6 ? { includedServiceHandle, endGroupHandle, serviceUuid: r.rest() } : { includedServiceHandle, endGroupHandle });
}

/** A service declaration's value is its UUID (3.1). Throws RangeError on other lengths. */
export function encodeServiceDeclaration(uuid: Uint8Array): Uint8Array {
  return uuidOctets(uuid).slice();
}

/** Client Characteristic Configuration value: 2 octets; a write of another length is the server's to refuse (Invalid Attribute Value Length). */
export function decodeClientConfiguration(value: Uint8Array): Result<{ notification: boolean; indication: boolean; bits: number }, DeclarationError> {
  if (value.length !== 2) return fail(lengthError('client characteristic configuration', value.length, '2'));
  const bits = new ByteReader(value).u16();
  return ok({ notification: (bits & 0x0001) !== 0, indication: (bits & 0x0002) !== 0, bits });
}

export function encodeClientConfiguration(configuration: { notification: boolean; indication: boolean }): Uint8Array {
  return new ByteWriter().u16((configuration.notification ? 0x0001 : 0) | (configuration.indication ? 0x0002 : 0)).finish();
}

function uuidOctets(uuid: Uint8Array): Uint8Array {
  if (uuid.length !== 2 && uuid.length !== 16) throw new RangeError(`a UUID is 2 or 16 octets, not ${uuid.length}`);
  return uuid;
}

function lengthError(what: string, got: number, expected: string): DeclarationError {
  return { reason: 'length', what, got, message: `${what}: expected ${expected} octets, got ${got}` };
}
