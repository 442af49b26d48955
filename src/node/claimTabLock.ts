/**
 * @module claimTabLock — one running wallet per browser profile. Two tabs (or windows) of one
 * profile share the IndexedDB and so the validator's key: both running would sign twice. A Web
 * Lock (held while the node runs, let go when it stops or the tab closes) lets the first one
 * run; a second is told where the wallet is open instead.
 */
import { FreeholdError } from '../FreeholdError';

export class WalletOpenElsewhereError extends FreeholdError {
  override name = 'WalletOpenElsewhereError' as const;
  constructor() {
    super(
      'This wallet is open in another tab or window of this browser. Close it there to use it here.',
    );
  }
}

/** The part of the Web Locks API used here (navigator.locks). */
export interface TabLocks {
  request(
    name: string,
    options: { ifAvailable: true },
    callback: (lock: unknown) => Promise<void> | void,
  ): Promise<unknown>;
}

/**
 * Takes the lock named `name` if no other tab holds it; resolves to its release, or throws
 * WalletOpenElsewhereError. Without Web Locks (an old browser) nothing can be guarded.
 */
export async function claimTabLock(locks: TabLocks | undefined, name: string): Promise<() => void> {
  if (!locks) return () => undefined;
  const release = await new Promise<(() => void) | null>((resolve, reject) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (!lock) return resolve(null);
        // Held until released: the promise the callback returns keeps the lock.
        return new Promise<void>((done) => resolve(done));
      })
      .catch(reject);
  });
  if (!release) throw new WalletOpenElsewhereError();
  return release;
}
