// The app's one store: slices combined, fed by the wallet facade's events. The wallet answers in
// plain data (`view()`); every event schedules one refresh, at most one per frame budget.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Wallet } from '../../src/node/createWallet';
import { createChainsSlice, type ChainsSlice } from './createChainsSlice';
import { createNetworkSlice, type NetworkSlice } from './createNetworkSlice';
import { createSessionSlice, type SessionSlice } from './createSessionSlice';
import { createUiSlice, type UiSlice } from './createUiSlice';

export type AppState = SessionSlice & ChainsSlice & NetworkSlice & UiSlice;
export type AppStore = StoreApi<AppState>;

/** Least time between two refreshes from the wallet: a catch-up emits many events. */
const REFRESH_MS = 150;
/** Links and peers change without an event; they are read this often. */
const POLL_MS = 2000;

export function createAppStore(wallet: Wallet): AppStore & { dispose(): void } {
  const store = createStore<AppState>()((...a) => ({
    ...createSessionSlice(wallet)(...a),
    ...createChainsSlice(wallet)(...a),
    ...createNetworkSlice(...a),
    ...createUiSlice(...a),
  }));

  const refresh = (): void => {
    const view = wallet.view();
    const { selectedChain } = store.getState();
    const selected =
      selectedChain && view.chains.some((c) => c.id === selectedChain)
        ? selectedChain
        : (view.chains[0]?.id ?? null);
    store.setState({
      vault: view.vault,
      accounts: view.accounts,
      autoLockMs: view.autoLockMs,
      backedUp: view.backedUp,
      chains: view.chains,
      links: view.links,
      selectedChain: selected,
    });
  };

  let timer: ReturnType<typeof setTimeout> | null = null;
  const schedule = (): void => {
    timer ??= setTimeout(() => {
      timer = null;
      refresh();
    }, REFRESH_MS);
  };
  const unsubscribe = wallet.subscribe((event) => {
    if (event.type === 'vault') refresh();
    else schedule();
  });
  const poll = setInterval(refresh, POLL_MS);

  return {
    ...store,
    dispose() {
      unsubscribe();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
    },
  };
}
