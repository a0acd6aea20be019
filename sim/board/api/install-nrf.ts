/**
 * Espruino's NRF object on the virtual board (libs/bluetooth/jswrap_bluetooth.c,
 * targets/nrf5x/bluetooth.c, Espruino 2v29): the BLE peripheral API over the
 * radio seam (../buses/radio-port.ts) and the nRF52's NFC tag (../buses/nfc-tag.ts).
 *
 * Espruino's rules kept here, where the firmware meets them:
 * - The service table lives in the SoftDevice: values are static between
 *   NRF.updateServices calls (no read callback). A new table needs a BLE
 *   restart: at once when no central is connected, otherwise queued until
 *   the disconnect ("BLE Connected, queueing BLE restart for later"); until
 *   then updateServices throws "Can't update services until BLE restart".
 * - On connect the console moves to Bluetooth (the Nordic UART Service)
 *   unless the UART is off (`setServices(…, {uart:false})`) or the console
 *   was forced with E.setConsole(…, {force:true}); on disconnect it returns.
 * - Advertising data over 31 octets is refused as the SoftDevice refuses it
 *   (NRF_ERROR_DATA_SIZE).
 */
import { AdFlags, AdType, LEGACY_ADV_DATA_MAX, encodeAdStructures, serviceUuidsStructure } from '../../../protocols/ble/gap/advertising-data';
import type { AdStructure } from '../../../protocols/ble/gap/advertising-data';
import { NordicUart } from '../../../protocols/ble/gatt/uuid';
import { espruinoUriRecord } from '../../../protocols/nfc/ndef';
import { type2TagMemory } from '../../../protocols/nfc/type2-tag';
import type { BoardRadio, RadioEvent, SecurityStatus, SecuritySettings, ServiceTable } from '../buses/radio-port';
import { latin1ToBytes, toBytes } from '../runtime/bytes';
import type { BoardHost } from './board-host';
import { readAdvertising, readSecurity, readServices, readUuid } from './nrf-arguments';
import type { AdvertisingRequest, Parsed, ParsedService } from './nrf-arguments';
import { notModelledError } from './not-modelled';

/** Espruino's NDEF_TAG2_VALUE_MAXLEN-sized data area; our choice of 992 octets (CC size 0x7C). */
const NFC_DATA_AREA_BYTES = 992;
/** Stands in for the radio's address while none is attached: the default name's length does not depend on it. */
const OFF_AIR = { address: '00:00:00:00:00:00 public' };
/** NRF.getSecurityStatus() of a board off the air. */
const OFF_AIR_STATUS: SecurityStatus = { advertising: false, connected: false, encrypted: false, mitm_protected: false, bonded: false };
/** The handle before the firmware's first service: GAP, GATT and the Nordic UART Service's come first. */
const FIRMWARE_FIRST_HANDLE = 0x10;
/** NRF_ERROR_DATA_SIZE (nrf_error.h). */
const NRF_ERROR_DATA_SIZE = 0x0c;

export function installNrf(host: BoardHost, NRF: Record<string, unknown>, serialNumber: string): void {
  const realm = host.realm;
  const method = (name: string, impl: (this: unknown, ...args: any[]) => unknown) =>
    Object.defineProperty(NRF, name, { value: realm.fn(impl, name), configurable: true, enumerable: false, writable: true });
  const radioOr = (member: string): BoardRadio => {
    const radio = host.radio.radio;
    if (!radio) throw notModelledError(realm, `NRF.${member} (no radio attached to the board)`);
    return radio;
  };
  /**
   * A board whose radio model has not attached (yet) is off the air, not
   * without BLE: what the firmware sets is kept and handed to the radio when
   * it attaches (`configure`), as a real board's settings wait for its
   * SoftDevice. Only what needs the radio's own answer (its address, its
   * bonds) refuses.
   */
  const radioIfAny = (): BoardRadio | undefined => host.radio.radio;
  const check = <T>(parsed: Parsed<T>): T => {
    if (!parsed.ok) throw realm.error(parsed.kind, parsed.message);
    return parsed.value;
  };

  // ---- what Espruino keeps in hiddenRoot for the SoftDevice, for this RAM
  let services: ParsedService[] = [];
  let uart = true;
  let servicesWereSet = false;
  let pendingTable: ServiceTable | undefined;
  let appliedUart = true;
  let advertising: AdvertisingRequest = check(readAdvertising(undefined, undefined) as Parsed<AdvertisingRequest>);
  let scanResponse: Uint8Array | undefined;
  let security: SecuritySettings = check(readSecurity(undefined));

  const table = (): ServiceTable => ({ services: services.map((s) => ({ uuid: s.uuid, characteristics: s.characteristics.map(({ onWrite: _onWrite, ...c }) => ({ ...c, value: c.value.slice() })) })), uart });
  const apply = (radio: BoardRadio, t: ServiceTable) => {
    radio.applyServices(t);
    appliedUart = t.uart;
    pendingTable = undefined;
  };

  const advertisingParams = (radio: Pick<BoardRadio, 'address'>) => {
    const o = advertising.options;
    let data: Uint8Array;
    if (advertising.raw) data = advertising.raw;
    else {
      // BLE_GAP_ADV_FLAGS_LE_ONLY_GENERAL_DISC_MODE, or _LIMITED_DISC_MODE for discoverable: false
      // (jswrap_ble_getAdvertisingData): Espruino never advertises an object's data without a discoverable flag
      const discoverable = o.discoverable ? AdFlags.LE_GENERAL_DISCOVERABLE : AdFlags.LE_LIMITED_DISCOVERABLE;
      const ads: AdStructure[] = [{ type: AdType.FLAGS, data: Uint8Array.of(discoverable | AdFlags.BR_EDR_NOT_SUPPORTED) }];
      for (const sd of advertising.serviceData) {
        const uuid = serviceUuidsStructure([sd.uuid]).data;
        ads.push({ type: uuid.length === 2 ? AdType.SERVICE_DATA_16BIT : AdType.SERVICE_DATA_128BIT, data: Uint8Array.from([...uuid, ...sd.data]) });
      }
      if (o.manufacturer !== undefined && o.manufacturerData) ads.push({ type: AdType.MANUFACTURER_SPECIFIC, data: Uint8Array.from([o.manufacturer & 0xff, o.manufacturer >> 8, ...o.manufacturerData]) });
      if (o.showName) ads.push({ type: AdType.COMPLETE_LOCAL_NAME, data: latin1ToBytes(o.name ?? defaultName(radio.address)) });
      data = encodeAdStructures(ads);
    }
    const response = scanResponse ?? (appliedUart ? encodeAdStructures([serviceUuidsStructure([NordicUart.SERVICE])]) : new Uint8Array(0));
    if (data.length > LEGACY_ADV_DATA_MAX || response.length > LEGACY_ADV_DATA_MAX) throw realm.error('Error', `Got BLE error 0x${NRF_ERROR_DATA_SIZE.toString(16)} DATA_SIZE`);
    return { advertisingData: data, scanResponse: response, intervalMs: o.intervalMs, connectable: o.connectable, scannable: o.scannable };
  };

  /** The whole configuration to the radio: at boot of this RAM and when a radio attaches. */
  const configure = (radio: BoardRadio) => {
    radio.setSecurity(security);
    if (radio.connected()) pendingTable = table();
    else apply(radio, table());
    radio.setAdvertising(advertisingParams(radio));
  };

  const emit = (event: string, ...args: unknown[]) => {
    const fn = (NRF as { emit?: unknown }).emit;
    if (typeof fn === 'function') host.loop.queueEvent(fn as never, NRF, [event, ...args]);
  };
  const onRadio = (event: RadioEvent) => {
    const radio = host.radio.radio;
    switch (event.kind) {
      case 'connect':
        if (appliedUart && !host.consoleForced()) host.setConsole('Bluetooth', false);
        emit('connect', event.address);
        break;
      case 'disconnect':
        if (!host.consoleForced() && host.consoleDevice() === 'Bluetooth') host.setConsole('Serial1', false);
        if (radio && pendingTable) {
          apply(radio, pendingTable);
          radio.setAdvertising(advertisingParams(radio));
        }
        emit('disconnect', event.reason);
        break;
      case 'write': {
        const c = services.find((s) => s.uuid === event.serviceUuid)?.characteristics.find((x) => x.uuid === event.characteristicUuid);
        if (c && typeof c.onWrite === 'function') host.loop.queueEvent(c.onWrite as never, undefined, [realm.object({ data: realm.arrayBuffer(event.data) })]);
        break;
      }
      case 'security':
        emit('security', realm.object(event.status));
        break;
      case 'passkey':
        emit('passkey', event.passkey);
        break;
      case 'bond':
        emit('bond', event.status);
        break;
      case 'mtu':
        emit('mtu', event.mtu);
        break;
      case 'advertising':
        emit('advertising', event.on);
        break;
    }
  };
  host.radio.listen(onRadio, configure);

  /**
   * targets/nrf5x/bluetooth.c jsble_set_services also makes each onWrite a child of the root, named "#onblew"
   * and the characteristic's value handle in hex (bleGetWriteEventName): a name of two JsVars for any handle
   * from 0x1 to 0xfff, so the handles are counted here in the table's order (a declaration and a value per
   * characteristic, a CCCD with notify or indicate, a description), from after the services the SoftDevice
   * holds before the firmware's, not read from the SoftDevice.
   */
  let writeHandlerNames: string[] = [];
  const keepWriteHandlers = (table: ParsedService[]) => {
    for (const name of writeHandlerNames) host.keepHidden(name, undefined);
    writeHandlerNames = [];
    let handle = FIRMWARE_FIRST_HANDLE;
    for (const service of table) {
      handle++;
      for (const c of service.characteristics) {
        handle += 2;
        if (typeof c.onWrite === 'function') {
          const name = '#onblew' + handle.toString(16);
          writeHandlerNames.push(name);
          host.keepHidden(name, c.onWrite);
        }
        if (c.notify || c.indicate) handle++;
        if (c.description !== undefined) handle++;
      }
    }
  };

  method('getAddress', () => host.radio.chipAddress ?? radioOr('getAddress').address);
  method('setServices', (data: unknown, options: unknown) => {
    const radio = radioIfAny();
    const parsed = check(readServices(data));
    // libs/bluetooth/jswrap_bluetooth.c jswrap_ble_setServices keeps both in the hidden root
    host.keepHidden('BLE_SVC_D', data);
    host.keepHidden('BLE_SVC_O', options);
    keepWriteHandlers(parsed);
    const useUart = options !== null && typeof options === 'object' && (options as { uart?: unknown }).uart !== undefined ? !!(options as { uart?: unknown }).uart : true;
    const needsRestart = servicesWereSet || useUart !== appliedUart;
    services = parsed;
    uart = useUart;
    servicesWereSet = true;
    if (!radio) return;
    if (radio.connected() && needsRestart) pendingTable = table();
    else {
      apply(radio, table());
      radio.setAdvertising(advertisingParams(radio));
    }
  });
  method('updateServices', (data: unknown) => {
    const radio = radioIfAny();
    if (pendingTable) throw realm.error('Error', "Can't update services until BLE restart");
    if (data === undefined) return;
    if (data === null || typeof data !== 'object') throw realm.error('TypeError', `Expecting Object or undefined, got ${typeof data}`);
    for (const serviceKey of Object.keys(data)) {
      const su = readUuid(serviceKey, true);
      if (!su.ok) throw realm.error('Error', `Invalid Service UUID: ${su.message}`);
      const service = (data as Record<string, unknown>)[serviceKey];
      for (const charKey of service !== null && typeof service === 'object' ? Object.keys(service) : []) {
        const cu = readUuid(charKey, true);
        if (!cu.ok) throw realm.error('Error', `Invalid Characteristic UUID: ${cu.message}`);
        const known = services.find((s) => s.uuid === su.value)?.characteristics.find((c) => c.uuid === cu.value);
        if (!known) throw realm.error('Error', `Unable to find service with UUID ${cu.value}`);
        const c = (service as Record<string, unknown>)[charKey] as Record<string, unknown>;
        if (c === null || typeof c !== 'object' || c.value === undefined) continue;
        const value = toBytes(c.value);
        if (value.length === 0) continue;
        // sd_ble_gatts_value_set refuses a value past the attribute's max length (NRF_ERROR_INVALID_PARAM, 0x7)
        if (value.length > known.maxLen) throw realm.error('Error', 'Got BLE error 0x7 INVALID_PARAM');
        known.value = value;
        radio?.updateValue(su.value, cu.value, value, c.indicate ? 'indicate' : c.notify ? 'notify' : 'none');
      }
    }
  });
  method('setAdvertising', (data: unknown, options: unknown) => {
    const radio = radioIfAny();
    const parsed = readAdvertising(data, options, advertising.options);
    if (parsed === 'several-packets') throw notModelledError(realm, 'NRF.setAdvertising with several advertising packets');
    const previous = advertising;
    advertising = check(parsed);
    // jswrap_ble_setAdvertising keeps them in the hidden root (BLE_NAME_ADVERTISE_DATA, _OPTIONS)
    host.keepHidden('BLE_ADV_D', data);
    host.keepHidden('BLE_ADV_O', options);
    try {
      const params = advertisingParams(radio ?? OFF_AIR);
      radio?.setAdvertising(params);
    } catch (error) {
      advertising = previous;
      throw error;
    }
  });
  method('setScanResponse', (data: unknown) => {
    const radio = radioIfAny();
    const previous = scanResponse;
    scanResponse = data === undefined ? undefined : toBytes(data);
    try {
      const params = advertisingParams(radio ?? OFF_AIR);
      radio?.setAdvertising(params);
    } catch (error) {
      scanResponse = previous;
      throw error;
    }
  });
  method('setSecurity', (options: unknown) => {
    security = check(readSecurity(options));
    // jswrap_ble_setSecurity keeps them in the hidden root (BLE_NAME_SECURITY, libs/bluetooth/bluetooth_utils.h):
    // the SoftDevice's pairing parameters are read from there at each pairing, and the dump writes them back
    host.keepHidden('BLE_SEC', options);
    radioIfAny()?.setSecurity(security);
  });
  method('getSecurityStatus', () => realm.object({ ...(radioIfAny()?.securityStatus() ?? OFF_AIR_STATUS) }));
  method('disconnect', () => radioIfAny()?.disconnect());
  method('sleep', () => radioIfAny()?.sleep());
  method('wake', () => radioIfAny()?.wake());
  method('eraseBonds', () => radioOr('eraseBonds').eraseBonds());
  method('setConnectionInterval', (interval: unknown) => {
    // no central without a radio: nothing to ask
    const radio = radioIfAny();
    if (interval === 'auto') return radio?.setConnectionInterval('auto');
    if (typeof interval === 'number') return radio?.setConnectionInterval({ minMs: interval, maxMs: interval });
    if (interval !== null && typeof interval === 'object') {
      const o = interval as { minInterval?: unknown; maxInterval?: unknown };
      return radio?.setConnectionInterval({ minMs: Number(o.minInterval), maxMs: Number(o.maxInterval) });
    }
    throw realm.error('Error', 'Invalid argument');
  });

  // ---- NFC: a Type 2 tag serving one NDEF message (jswrap_nfc_URL / jswrap_nfc_raw / jswrap_nfc_stop)
  const uid = nfcUid(serialNumber);
  const presentNdef = (message: Uint8Array) => {
    const memory = type2TagMemory(uid, message, NFC_DATA_AREA_BYTES);
    if (!memory) throw realm.error('Error', 'Unable to get NFC data');
    host.nfc.present(memory);
  };
  method('nfcURL', (url: unknown) => {
    if (url === undefined) return host.nfc.present(undefined);
    if (typeof url !== 'string') throw realm.error('TypeError', `Expecting String, got ${url === null ? 'null' : typeof url}`);
    if (url.length === 0) throw realm.error('Error', 'Unable to get URL data');
    const record = espruinoUriRecord(url);
    if (record.length + 4 > NFC_DATA_AREA_BYTES) throw realm.error('Error', 'URL too long');
    presentNdef(record);
  });
  method('nfcRaw', (payload: unknown) => {
    if (payload === undefined) return host.nfc.present(undefined);
    const bytes = toBytes(payload);
    if (bytes.length === 0 || bytes.length + 5 > NFC_DATA_AREA_BYTES) throw realm.error('Error', 'Unable to get NFC data');
    presentNdef(bytes);
  });
  method('nfcStop', () => host.nfc.present(undefined));
}

/** Puck.js's default name: "Puck.js " and the address's last two octets (jswrap_ble_getDefaultName style). */
function defaultName(address: string): string {
  const hex = address.split(' ')[0]!.split(':');
  return `Puck.js ${hex[4] ?? '00'}${hex[5] ?? '00'}`;
}

/** A 7-octet NFCID1: Nordic's manufacturer code 0x5F, then the chip's serial (FICR), as the NFCT library forms it. */
function nfcUid(serialNumber: string): Uint8Array {
  const hex = serialNumber.replace(/[^0-9a-f]/gi, '').padEnd(12, '0');
  const uid = new Uint8Array(7);
  uid[0] = 0x5f;
  for (let i = 0; i < 6; i++) uid[i + 1] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return uid;
}
