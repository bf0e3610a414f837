// Loaded with --import before the utility entry in a Node child: stands in for Electron's process.parentPort,
// over Node's IPC pipe, with Electron's shapes (a 'message' listener receives {data, ports}).
process.parentPort = {
  on: (event, listener) => process.on(event, (data) => listener({ data, ports: [] })),
  postMessage: (message) => process.send(message),
};
