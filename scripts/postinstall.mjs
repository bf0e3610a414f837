// Electron >= 42 fetches its binary on first require('electron'); fetch it at install
// time instead so the app starts offline, unless the machine asked to skip the download.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const skip = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD;
if (skip && skip !== '0' && skip !== 'false') {
  console.log('postinstall: ELECTRON_SKIP_BINARY_DOWNLOAD is set, not fetching the Electron binary');
  process.exit(0);
}
const require = createRequire(import.meta.url);
let installer;
try {
  installer = require.resolve('electron/install.js');
} catch {
  process.exit(0); // production install without devDependencies: nothing to fetch
}
const result = spawnSync(process.execPath, [installer], { stdio: 'inherit' });
process.exit(result.status ?? 1);
