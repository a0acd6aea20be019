'use strict';
// Runs the `espruino` package (EspruinoTools) in a worker thread and lets its
// own 2v25+ file upload (core/serial.js Connection.espruinoSendFile: FILE_SEND,
// then DATA packets, each waiting for ACK) drive the host bridge's transport,
// which lives in the parent thread. A thread because the package's init()
// loads its files into the global scope (es6-shim, jQuery stubs, `Espruino`,
// `acorn`, a global `require`) and logs every file it loads: none of that
// must leak into the host process. Its init takes about 0.1 s, so one worker
// serves every upload of the process, one Connection per upload.
//
// parent → worker: { kind: 'upload', id, name, data (latin1 string), chunkBytes, writeBytes }
//                  { kind: 'rx', id, data: Uint8Array }     bytes from the board for upload `id`
//                  { kind: 'cancel', id }                   forget upload `id` (its writes stop)
// worker → parent: { kind: 'ready' }                        once the package is loaded
//                  { kind: 'write', id, data: string }      latin1 bytes for the board
//                  { kind: 'progress', id, ackedBytes }     after each acknowledged DATA packet
//                  { kind: 'done', id } | { kind: 'failed', id, reason }
const { parentPort } = require('node:worker_threads');

const quiet = () => undefined;
console.log = console.info = console.warn = console.error = console.debug = quiet;

const espruino = require('espruino');
const uploads = new Map();
const queued = [];
let ready = false;

parentPort.on('message', (message) => {
  if (message.kind === 'upload') {
    if (ready) start(message);
    else queued.push(message);
  } else if (message.kind === 'rx') {
    const connection = uploads.get(message.id);
    if (connection) connection.rxDataHandler(new Uint8Array(message.data).buffer);
  } else if (message.kind === 'cancel') {
    const connection = uploads.get(message.id);
    uploads.delete(message.id);
    // Its pending packet times out unheard; nothing more goes to the board.
    if (connection) connection.writeLowLevel = () => Promise.resolve();
  }
});

espruino.init(() => {
  ready = true;
  parentPort.postMessage({ kind: 'ready' });
  for (const message of queued.splice(0)) start(message);
});

function start({ id, name, data, chunkBytes, writeBytes }) {
  const Connection = Espruino.Core.Serial.connection.constructor;
  const connection = new Connection();
  uploads.set(id, connection);
  const post = (message) => {
    if (uploads.get(id) === connection) parentPort.postMessage({ ...message, id });
  };
  connection.chunkSize = writeBytes;
  connection.writeLowLevel = (bytes) => {
    post({ kind: 'write', data: bytes });
    return Promise.resolve();
  };
  connection.closeLowLevel = quiet;
  connection.openHandler();

  // The package reports progress before each DATA packet goes out, as 100 +
  // bytes including that packet (100 stands for FILE_SEND); so each report
  // after the first confirms the packets before it.
  let reported = 0;
  const total = data.length;
  connection
    .espruinoSendFile(name, data, {
      chunkSize: chunkBytes,
      progress: (amount) => {
        const acked = Math.max(0, Math.min(total, reported - 100));
        reported = amount;
        if (acked > 0) post({ kind: 'progress', ackedBytes: acked });
      },
    })
    .then(
      () => post({ kind: 'done' }),
      (reason) => post({ kind: 'failed', reason: String(reason) }),
    )
    .finally(() => {
      if (uploads.get(id) === connection) uploads.delete(id);
    });
}
