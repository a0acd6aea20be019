import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { associationModel } from './association';
import { AuthReq, IoCapability } from './constants';

const { DISPLAY_ONLY, DISPLAY_YES_NO, KEYBOARD_ONLY, NO_INPUT_NO_OUTPUT, KEYBOARD_DISPLAY } = IoCapability;
const MITM_SC = AuthReq.BONDING | AuthReq.MITM | AuthReq.SC;
const side = (ioCapability: number, authReq = MITM_SC, oobDataFlag = 0) => ({ ioCapability, oobDataFlag, authReq });
const model = (initiator: number, responder: number, authReq = MITM_SC) => associationModel(side(initiator, authReq), side(responder, authReq)).association;

describe('association model (Core v5.4 Vol 3 Part H 2.3.5.1)', () => {
  it('is Just Works when neither device requests MITM, whatever their IO (Tables 2.6, 2.7)', () => {
    const outcome = associationModel(side(KEYBOARD_DISPLAY, AuthReq.SC), side(KEYBOARD_DISPLAY, AuthReq.SC));
    expect(outcome).toEqual({ secureConnections: true, association: { model: 'just-works' }, authenticated: false, mitmRequested: false });
  });

  it('is Just Works, unauthenticated, when MITM is requested but one side has no IO (Table 2.8)', () => {
    const outcome = associationModel(side(KEYBOARD_DISPLAY), side(NO_INPUT_NO_OUTPUT));
    expect(outcome).toMatchObject({ association: { model: 'just-works' }, authenticated: false, mitmRequested: true });
  });

  it('says who displays and who types the passkey (Table 2.8)', () => {
    expect(model(KEYBOARD_ONLY, DISPLAY_ONLY)).toEqual({ model: 'passkey-entry', displays: 'responder', inputs: 'initiator' });
    expect(model(DISPLAY_ONLY, KEYBOARD_ONLY)).toEqual({ model: 'passkey-entry', displays: 'initiator', inputs: 'responder' });
    expect(model(KEYBOARD_ONLY, KEYBOARD_ONLY)).toEqual({ model: 'passkey-entry', displays: 'neither', inputs: 'both' });
  });

  it('uses Numeric Comparison only with Secure Connections, passkey or Just Works in legacy pairing', () => {
    expect(model(DISPLAY_YES_NO, DISPLAY_YES_NO)).toEqual({ model: 'numeric-comparison' });
    expect(model(DISPLAY_YES_NO, DISPLAY_YES_NO, AuthReq.MITM)).toEqual({ model: 'just-works' });
    expect(model(KEYBOARD_DISPLAY, KEYBOARD_DISPLAY)).toEqual({ model: 'numeric-comparison' });
    expect(model(KEYBOARD_DISPLAY, KEYBOARD_DISPLAY, AuthReq.MITM)).toEqual({ model: 'passkey-entry', displays: 'initiator', inputs: 'responder' });
    expect(associationModel(side(DISPLAY_YES_NO), side(DISPLAY_YES_NO, AuthReq.MITM)).secureConnections).toBe(false);
  });

  it('uses OOB when both have OOB data in legacy pairing, either in Secure Connections', () => {
    expect(associationModel(side(NO_INPUT_NO_OUTPUT, MITM_SC, 1), side(NO_INPUT_NO_OUTPUT)).association).toEqual({ model: 'out-of-band' });
    expect(associationModel(side(NO_INPUT_NO_OUTPUT, AuthReq.MITM, 1), side(NO_INPUT_NO_OUTPUT, AuthReq.MITM)).association).toEqual({ model: 'just-works' });
    expect(associationModel(side(NO_INPUT_NO_OUTPUT, 0, 1), side(NO_INPUT_NO_OUTPUT, 0, 1)).association).toEqual({ model: 'out-of-band' });
  });

  it('refuses a reserved IO capability', () => {
    expect(() => model(5, DISPLAY_ONLY)).toThrow(RangeError);
  });

  it('matches ble-host 1.0.3 getAssociationModel on all 50 IO pairs with MITM, legacy and SC', () => {
    // ble-host's own decision (lib/internal/smp.js), run from its source: an independent implementation of Table 2.8.
    const source = readFileSync(createRequire(import.meta.url).resolve('ble-host/lib/internal/smp.js'), 'utf8');
    const constants = [...source.matchAll(/^const (IO_CAP_\w+|ASSOCIATION_MODEL_\w+) = (0x[0-9a-f]+|\d+);$/gm)].map((m) => m[0]).join('\n');
    const fn = source.slice(source.indexOf('function getAssociationModel'), source.indexOf('function passkeyToTk'));
    const theirs = new Function(`${constants}\n${fn}\nreturn getAssociationModel;`)() as (i: number, r: number, sc: boolean, mitm: boolean) => number;
    const names = ['just-works', 'passkey initiator inputs', 'passkey responder inputs', 'passkey both input', 'numeric-comparison'];
    const ours = (i: number, r: number, sc: boolean) => {
      const a = model(i, r, sc ? MITM_SC : AuthReq.MITM);
      return a.model === 'passkey-entry' ? `passkey ${a.inputs === 'both' ? 'both input' : `${a.inputs} inputs`}` : a.model;
    };
    for (const sc of [false, true]) for (let i = 0; i <= 4; i++) for (let r = 0; r <= 4; r++) expect(ours(i, r, sc), `init ${i} rsp ${r} sc ${sc}`).toBe(names[theirs(i, r, sc, true)]);
  });
});
