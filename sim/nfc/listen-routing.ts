/**
 * The controller's listen-mode routing table: where an ISO-DEP frame from a
 * reader goes (an NFCEE, or the DH as NFCEE ID 00), as the DH configured it
 * with RF_SET_LISTEN_MODE_ROUTING_CMD (NCI 2.0 6.3).
 *
 * Lookup, as NCI 2.0 6.3 orders it for ISO-DEP in listen mode: an AID route
 * chosen by the AID of a SELECT (exact match; with the "match longer AID"
 * qualifier the entry's AID may be a prefix of the selected one), then the
 * protocol route for ISO-DEP, then the technology route for NFC-A. An AID
 * entry with an empty AID matches every AID (the default AID route Android
 * installs). An entry applies only in the power states its Power State octet
 * names; the controller models the switched-on state only.
 */
import { RfProtocol, RfTechnology } from '../../protocols/nci/identifiers';
import { RoutePowerState, RouteQualifier } from '../../protocols/nci/rf';
import type { RoutingEntry } from '../../protocols/nci/rf';

export type Route = { nfceeId: number; by: 'aid' | 'protocol' | 'technology' };

export class ListenRoutingTable {
  private entries: RoutingEntry[] = [];
  private pending: RoutingEntry[] = [];

  /**
   * One RF_SET_LISTEN_MODE_ROUTING_CMD: with More = 1 the entries wait for the
   * next command; the table is replaced when the last one arrives. Returns
   * false (nothing changes) when the table would exceed `maxBytes` octets of
   * entries (CORE_INIT_RSP's Max Routing Table Size).
   */
  set(more: boolean, entries: readonly RoutingEntry[], maxBytes: number): boolean {
    const all = [...this.pending, ...entries];
    if (all.reduce((n, e) => n + entryBytes(e), 0) > maxBytes) {
      this.pending = [];
      return false;
    }
    if (more) this.pending = all;
    else {
      this.entries = all;
      this.pending = [];
    }
    return true;
  }

  list(): readonly RoutingEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
    this.pending = [];
  }

  /** The route for a SELECT of `aid`, or for ISO-DEP traffic with no AID yet (aid undefined). */
  resolve(aid: Uint8Array | undefined): Route | undefined {
    const on = this.entries.filter((e) => e.type !== 'other' && (e.powerState & RoutePowerState.SWITCHED_ON) !== 0);
    if (aid) {
      const exact = on.find((e) => e.type === 'aid' && e.aid.length > 0 && matchesAid(e.aid, aid, e.qualifiers));
      if (exact && exact.type === 'aid') return { nfceeId: exact.route, by: 'aid' };
    }
    const anyAid = on.find((e) => e.type === 'aid' && e.aid.length === 0);
    if (anyAid && anyAid.type === 'aid') return { nfceeId: anyAid.route, by: 'aid' };
    const protocol = on.find((e) => e.type === 'protocol' && e.protocol === RfProtocol.ISO_DEP);
    if (protocol && protocol.type === 'protocol') return { nfceeId: protocol.route, by: 'protocol' };
    const technology = on.find((e) => e.type === 'technology' && e.technology === RfTechnology.A);
    if (technology && technology.type === 'technology') return { nfceeId: technology.route, by: 'technology' };
    return undefined;
  }

  /** Whether any entry sends traffic to `nfceeId`. */
  reaches(nfceeId: number): boolean {
    return this.entries.some((e) => e.type !== 'other' && e.route === nfceeId && (e.powerState & RoutePowerState.SWITCHED_ON) !== 0);
  }
}

function matchesAid(entry: Uint8Array, selected: Uint8Array, qualifiers: number): boolean {
  if (entry.length === selected.length) return entry.every((b, i) => b === selected[i]);
  if (entry.length < selected.length && (qualifiers & RouteQualifier.MATCH_LONGER_AID) !== 0) return entry.every((b, i) => b === selected[i]);
  return false;
}

/** Type, length, route, power state and the value (6.3). */
function entryBytes(e: RoutingEntry): number {
  switch (e.type) {
    case 'aid': return 4 + e.aid.length;
    case 'system-code': return 4 + e.systemCode.length;
    case 'other': return 2 + e.value.length;
    default: return 5;
  }
}
