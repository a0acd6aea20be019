/**
 * Request ids: a random prefix per client, then a counter (base 36). The strap
 * caches its last replies by id, so ids must not repeat across host sessions
 * that talk to the same boot: the prefix takes care of that.
 */
import { randomBytes } from 'node:crypto';

export function createRequestIds(prefix = randomPrefix()): () => string {
  if (!/^\w{1,12}$/.test(prefix)) throw new TypeError(`request id prefix ${JSON.stringify(prefix)} must be 1-12 word characters`);
  let counter = 0;
  return () => prefix + (++counter).toString(36);
}

function randomPrefix(): string {
  return 'h' + (randomBytes(4).readUInt32BE(0) % 36 ** 4).toString(36).padStart(4, '0');
}
