/**
 * The board's I2C1 bus: device models attach from outside the board at their
 * 7-bit address (attach/detach), as parts on the PCB; the firmware reaches
 * them through the I2C1 global (api/install-devices.ts). A transfer to an
 * address nobody answers fails the way Espruino's nRF52 port reports it
 * (targets/nrf5x/jshardware.c, jshI2CWrite/jshI2CRead):
 *   InternalError "I2C Write Error <code>\n" / "I2C Read Error <code>\n"
 * with the Nordic SDK's NRF_ERROR_DRV_TWI_ERR_ANACK = 0x8201 (33281) for an
 * address NACK and NRF_ERROR_DRV_TWI_ERR_DNACK = 0x8202 (33282) for a data
 * NACK (a device signals one by throwing I2CDataNack from write()). A device
 * that does not acknowledge its own address (unpowered, or busy as the SE05x
 * is while it processes a block) throws I2CAddressNack from write() or read().
 */
export interface I2CDevice {
  write(bytes: Uint8Array): void;
  read(length: number): Uint8Array;
}

export class I2CDataNack extends Error {
  constructor() {
    super('I2C data NACK');
    this.name = 'I2CDataNack';
  }
}

export class I2CAddressNack extends Error {
  constructor() {
    super('I2C address NACK');
    this.name = 'I2CAddressNack';
  }
}

export const TWI_ERR_ANACK = 0x8201;
export const TWI_ERR_DNACK = 0x8202;

export interface I2CTransfer {
  kind: 'write' | 'read';
  address: number;
  bytes: Uint8Array;
  /** Undefined on success, else the SDK error code. */
  error?: number;
}

export class I2CBus {
  private readonly devices = new Map<number, I2CDevice>();
  private readonly listeners = new Set<(t: I2CTransfer) => void>();
  /** Options given to I2C1.setup (undefined until then). */
  setupOptions: Record<string, unknown> | undefined;

  attach(address: number, device: I2CDevice): void {
    this.devices.set(address & 0x7f, device);
  }

  detach(address: number): void {
    this.devices.delete(address & 0x7f);
  }

  /** Every transfer, for traces (APDU logs etc.). */
  onTransfer(listener: (t: I2CTransfer) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Returns 0 on success or the SDK error code. */
  write(address: number, bytes: Uint8Array): number {
    const device = this.devices.get(address & 0x7f);
    let error = 0;
    if (!device) error = TWI_ERR_ANACK;
    else {
      try {
        device.write(bytes.slice());
      } catch (e) {
        if (e instanceof I2CAddressNack) error = TWI_ERR_ANACK;
        else if (e instanceof I2CDataNack) error = TWI_ERR_DNACK;
        else throw e;
      }
    }
    this.emit({ kind: 'write', address, bytes, error: error || undefined });
    return error;
  }

  /** Returns the bytes read, or the SDK error code. */
  read(address: number, length: number): Uint8Array | number {
    const device = this.devices.get(address & 0x7f);
    if (!device) {
      this.emit({ kind: 'read', address, bytes: new Uint8Array(0), error: TWI_ERR_ANACK });
      return TWI_ERR_ANACK;
    }
    let got: Uint8Array;
    try {
      got = device.read(length);
    } catch (e) {
      if (!(e instanceof I2CAddressNack)) throw e;
      this.emit({ kind: 'read', address, bytes: new Uint8Array(0), error: TWI_ERR_ANACK });
      return TWI_ERR_ANACK;
    }
    const bytes = new Uint8Array(length);
    bytes.set(got.subarray(0, length));
    this.emit({ kind: 'read', address, bytes });
    return bytes;
  }

  private emit(t: I2CTransfer): void {
    for (const l of [...this.listeners]) l(t);
  }
}
