/**
 * A port that disappears mid-run: the command on the wire fails with an
 * error naming the port, calls made while it is gone fail at once saying it
 * is reconnecting, and the console comes back by itself when the port does.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { isReconnectingTransport } from '../../host-bridge/transports/index';
import type { Scenario } from './scenario';
import { withinWallMs } from './scenario';

export const portLossScenario: Scenario = {
  name: 'port-loss',
  title: 'the console port vanishes mid-run: a clear error, then a reconnect',
  tags: ['link-drop'],
  async run(rig, context) {
    const transport = rig.console.transport;
    assert.ok(isReconnectingTransport(transport), 'every rig opens its console with reconnect');
    const port = transport.port;
    assert.deepEqual((await rig.rpc.ping('before')).echo, 'before');
    const reconnected = once(rig.console, 'reconnected');
    const disconnected = once(transport, 'disconnected');
    const dropping = rig.instrument('link-drop').drop(800);
    const [cause] = (await withinWallMs(disconnected, 5000, 'the host did not notice the port going away')) as [Error];
    context.note(`disconnected: ${cause.message}`);
    assert.ok(cause.message.includes(port), `"${cause.message}" names ${port}`);
    const during = await rig.console.evaluate('1').then(
      () => undefined,
      (error: Error) => error,
    );
    assert.ok(during, 'a command while the port is gone fails');
    assert.match(during.message, /not open|went away|closed/);
    assert.ok(during.message.includes(port), `"${during.message}" names ${port}`);
    await dropping;
    await withinWallMs(reconnected, 10_000, 'the console did not reconnect');
    await rig.console.sync();
    assert.deepEqual((await rig.rpc.ping('after')).echo, 'after');
  },
};
