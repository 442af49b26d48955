// The React side of the store: components read slices through selectors.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './createAppStore';

export const StoreContext = createContext<AppStore | null>(null);

export function useApp<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('The app store is missing: render inside <StoreContext>.');
  return useStore(store, selector);
}

/** The chain the chain-specific screens show. */
export function useSelectedChain() {
  return useApp((s) => s.chains.find((c) => c.id === s.selectedChain) ?? null);
}
