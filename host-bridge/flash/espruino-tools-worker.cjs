'use strict';
// Runs the `espruino` package (EspruinoTools) in a worker thread and lets its
// own 2v25+ file upload (core/serial.js Connection.espruinoSendFile: FILE_SEND,
// then DATA packets, each waiting for ACK) drive the host bridge's transport,
// which lives in the parent thread. A thread because the package's init()
// loads its files into the global scope (es6-shim, jQuery stubs, `Espruino`,
// `acorn`, a global `require`) and logs every file it loads: none of that
// must leak into the host process.
//
// workerData: { name, data (latin1 string), chunkBytes, writeBytes }
// parent → worker: { kind: 'rx', data: Uint8Array }        bytes from the board
// worker → parent: { kind: 'write', data: string }         latin1 bytes for the board
//                  { kind: 'progress', ackedBytes }         after each acknowledged DATA packet
//                  { kind: 'done' } | { kind: 'failed', reason }
const { parentPort, workerData } = require('node:worker_threads');

const quiet = () => undefined;
console.log = console.info = console.warn = console.error = console.debug = quiet;

const espruino = require('espruino');

espruino.init(() => {
  const Connection = Espruino.Core.Serial.connection.constructor;
  const connection = new Connection();
  connection.chunkSize = workerData.writeBytes;
  connection.writeLowLevel = (data) => {
    parentPort.postMessage({ kind: 'write', data });
    return Promise.resolve();
  };
  connection.closeLowLevel = quiet;
  parentPort.on('message', (message) => {
    if (message.kind === 'rx') connection.rxDataHandler(new Uint8Array(message.data).buffer);
  });
  connection.openHandler();

  // The package reports progress before each DATA packet goes out, as 100 +
  // bytes including that packet (100 stands for FILE_SEND); so each report
  // after the first confirms the packets before it.
  let reported = 0;
  const total = workerData.data.length;
  connection
    .espruinoSendFile(workerData.name, workerData.data, {
      chunkSize: workerData.chunkBytes,
      progress: (amount) => {
        const acked = Math.max(0, Math.min(total, reported - 100));
        reported = amount;
        if (acked > 0) parentPort.postMessage({ kind: 'progress', ackedBytes: acked });
      },
    })
    .then(
      () => parentPort.postMessage({ kind: 'done' }),
      (reason) => parentPort.postMessage({ kind: 'failed', reason: String(reason) }),
    );
});
