// The app's root: first run, the lock screen, or the unlocked shell with the open screen.
import { useEffect } from 'react';
import { Shell } from './components/Shell';
import { Welcome } from './components/ui';
import { ActivityScreen } from './screens/ActivityScreen';
import { ChainsScreen } from './screens/ChainsScreen';
import { BackupPhrase } from './components/BackupPhrase';
import { FirstRun } from './screens/FirstRun';
import { GovernanceScreen } from './screens/GovernanceScreen';
import { IdentitiesScreen } from './screens/IdentitiesScreen';
import { LockScreen } from './screens/LockScreen';
import { NetworkScreen } from './screens/NetworkScreen';
import { RecordsScreen } from './screens/RecordsScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { WalletScreen } from './screens/WalletScreen';
import type { Screen } from './store/createUiSlice';
import { useApp } from './store/useApp';

const SCREENS: Record<Screen, () => React.JSX.Element> = {
  wallet: WalletScreen,
  activity: ActivityScreen,
  records: RecordsScreen,
  governance: GovernanceScreen,
  chains: ChainsScreen,
  identities: IdentitiesScreen,
  network: NetworkScreen,
  settings: SettingsScreen,
};

/** Marks the first moment a person can act (the bench "cold start to interactive" reads it). */
function useInteractiveMark(ready: boolean): void {
  useEffect(() => {
    if (ready && performance.getEntriesByName(INTERACTIVE_MARK).length === 0)
      performance.mark(INTERACTIVE_MARK);
  }, [ready]);
}

export const INTERACTIVE_MARK = 'freehold:interactive';

export function App() {
  const vault = useApp((s) => s.vault);
  useInteractiveMark(vault !== 'loading');
  const screen = useApp((s) => s.screen);
  const newMnemonic = useApp((s) => s.newMnemonic);
  const confirmBackup = useApp((s) => s.confirmBackup);
  if (vault === 'loading') {
    return (
      <div className="centered" role="status">
        Opening your wallet…
      </div>
    );
  }
  if (vault === 'empty') return <FirstRun />;
  if (vault === 'locked') return <LockScreen />;
  if (newMnemonic) {
    return (
      <Welcome wide>
        <BackupPhrase mnemonic={newMnemonic} onConfirmed={confirmBackup} />
      </Welcome>
    );
  }
  const Current = SCREENS[screen];
  return (
    <Shell>
      <Current />
    </Shell>
  );
}
