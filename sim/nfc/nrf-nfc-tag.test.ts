// The board's NFC tag (NRF.nfcURL / nfcRaw / nfcStop) read by a phone's Type 2 tag reader.
import { describe, expect, it } from 'vitest';
import { startBoard } from '../board/board-test-kit';
import { readType2Tag } from './type2-reader';

describe('NRF.nfcURL and friends as a Type 2 tag', () => {
  it('serves an NDEF URI record the reader decodes back to the URL', () => {
    const t = startBoard();
    t.value('NRF.nfcURL("https://strap.example/pair?k=123456")');
    const result = readType2Tag(t.board.nfc);
    expect(result.ok && result.uris).toEqual(['https://strap.example/pair?k=123456']);
    expect(result.ok && result.readOnly).toBe(true);
    expect(result.ok && result.uid[0]).toBe(0x5f);
  });

  it('nfcRaw takes the NDEF message bytes as Espruino documents (same as nfcURL("http://espruino.com"))', () => {
    const t = startBoard();
    t.value('NRF.nfcRaw(new Uint8Array([193, 1, 0, 0, 0, 13, 85, 3, 101, 115, 112, 114, 117, 105, 110, 111, 46, 99, 111, 109]))');
    const raw = readType2Tag(t.board.nfc);
    t.value('NRF.nfcURL("http://espruino.com")');
    const url = readType2Tag(t.board.nfc);
    expect(raw.ok && url.ok && [...raw.ndef]).toEqual(url.ok && [...url.ndef]);
    expect(url.ok && url.uris).toEqual(['http://espruino.com']);
  });

  it('long messages use the three-octet TLV length and still read back', () => {
    const t = startBoard();
    const long = 'https://' + 'x'.repeat(400);
    t.value(`NRF.nfcURL(${JSON.stringify(long)})`);
    const result = readType2Tag(t.board.nfc);
    expect(result.ok && result.uris).toEqual([long]);
  });

  it('nfcStop and nfcURL(undefined) take the tag off; errors as Espruino words them', () => {
    const t = startBoard();
    t.value('NRF.nfcURL("http://a.b")');
    t.value('NRF.nfcStop()');
    expect(readType2Tag(t.board.nfc)).toEqual({ ok: false, error: 'no tag' });
    t.value('NRF.nfcURL("http://a.b")');
    t.value('NRF.nfcURL()');
    expect(t.board.nfc.active).toBe(false);
    expect(() => t.value('NRF.nfcURL(42)')).toThrow('Expecting String, got number');
    expect(() => t.value(`NRF.nfcURL("https://${'y'.repeat(1000)}")`)).toThrow('URL too long');
    expect(() => t.value('NRF.nfcRaw([])')).toThrow('Unable to get NFC data');
  });

  it('a reader command other than READ gets the 4-bit NAK', () => {
    const t = startBoard();
    t.value('NRF.nfcURL("http://a.b")');
    expect([...t.board.nfc.transceive(Uint8Array.of(0xa2, 4, 1, 2, 3, 4))!]).toEqual([0x00]);
  });
});
