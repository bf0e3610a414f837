// Entry of a server process in an Electron utility process (see src/main/utility-child.ts); mirrors node-entry.ts.
import { serveParent } from './serve-parent';
import { utilityParentChannel, type UtilityParentPort } from './utility-channel';

const { parentPort } = process as NodeJS.Process & { parentPort?: UtilityParentPort };
if (!parentPort) throw new Error('the server process entry runs only in an Electron utility process (process.parentPort is missing)');
serveParent(utilityParentChannel(parentPort));
