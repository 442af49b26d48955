// The network as the network screen and the offline banner show it: links by transport, whether
// the browser reports a network at all, and whether storage is persistent.
import type { StateCreator } from 'zustand/vanilla';
import type { PeerLink } from '../../src/net/Network';
import type { AppState } from './createAppStore';
import { InputError } from './errors';

export interface NetworkSlice {
  links: PeerLink[];
  online: boolean;
  /** The browser's answer to navigator.storage.persist(); null until asked. */
  persisted: boolean | null;
  /** The demo chain `npm start -- --demo` runs beside the page, if any: it has a faucet. */
  demoChain: { chainId: string; name: string } | null;
  setOnline: (online: boolean) => void;
  /** Asks the demo's faucet for coins for one of our accounts; resolves to the tx id. */
  requestDemoCoins: (did: string) => Promise<string>;
  setPersisted: (persisted: boolean) => void;
}

export const createNetworkSlice: StateCreator<AppState, [], [], NetworkSlice> = (set) => ({
  links: [],
  online: true,
  persisted: null,
  demoChain: null,
  async requestDemoCoins(did) {
    const response = await fetch('./faucet', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ did }),
    });
    if (!response.ok)
      throw new InputError('The demo faucet did not answer. Is `npm start -- --demo` running?');
    return ((await response.json()) as { txId: string }).txId;
  },
  setOnline: (online) => set({ online }),
  setPersisted: (persisted) => set({ persisted }),
});
