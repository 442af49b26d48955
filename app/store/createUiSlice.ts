// Which screen is open, and the one short notice shown after an action.
import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from './createAppStore';

export type Screen =
  | 'wallet'
  | 'activity'
  | 'records'
  | 'governance'
  | 'chains'
  | 'identities'
  | 'network'
  | 'settings';

export interface Notice {
  kind: 'success' | 'error';
  text: string;
}

export interface UiSlice {
  screen: Screen;
  notice: Notice | null;
  go: (screen: Screen) => void;
  notify: (notice: Notice | null) => void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  screen: 'wallet',
  notice: null,
  go: (screen) => set({ screen, notice: null }),
  notify: (notice) => set({ notice }),
});
