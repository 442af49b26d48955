// `npm run bench [-- name…]`: every benchmark, one JSON line each. Names filter by prefix.
import { appBenches } from './app.bench';
import { catchUpBenches } from './catchUp.bench';
import { consensusBenches } from './consensus.bench';
import { cryptoBenches } from './crypto.bench';
import { gossipBenches } from './gossip.bench';
import { hostileBenches } from './hostile.bench';
import { largeBlockBenches } from './largeBlock.bench';
import { lanFinalityBenches } from './lanFinality.bench';
import { lightSyncBenches } from './lightSync.bench';
import { stateRootBenches } from './stateRoot.bench';
import { storeBenches } from './store.bench';

const groups: Record<string, () => unknown> = {
  crypto: cryptoBenches,
  consensus: consensusBenches,
  light: lightSyncBenches,
  state: stateRootBenches,
  store: storeBenches,
  hostile: hostileBenches,
  'sync.largestBlock': largeBlockBenches,
  'net.catchUp': catchUpBenches,
  'net.gossip': gossipBenches,
  'net.lan': lanFinalityBenches,
  app: appBenches,
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(groups)) {
  if (wanted.length === 0 || wanted.some((w) => name.startsWith(w))) await run();
}
