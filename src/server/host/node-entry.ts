// Entry of a server process forked by Node's child_process (see forkServerChild).
import { nodeParentChannel } from './node-channel';
import { serveParent } from './serve-parent';

serveParent(nodeParentChannel());
