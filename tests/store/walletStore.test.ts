// The WalletStore port: one suite run against the Dexie adapter (fake-indexeddb in Node; the
// app runs it on Chromium's IndexedDB) and the in-memory one.
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createMemoryWalletStore, type WalletStore } from '../../src/node/WalletStore';
import { createDexieWalletStore } from '../../src/store/createDexieWalletStore';
import { openFreeholdDb } from '../../src/store/FreeholdDb';

let n = 0;
const adapters: [string, () => WalletStore][] = [
  ['memory', createMemoryWalletStore],
  [
    'Dexie (fake-indexeddb)',
    () => createDexieWalletStore(openFreeholdDb(`wallet-store-${++n}`, { indexedDB, IDBKeyRange })),
  ],
];

describe.each(adapters)('WalletStore: %s', (_name, make) => {
  it('keeps values by key, lists and deletes by prefix, in key order', async () => {
    const store = make();
    expect(await store.get('settings/autoLockMs')).toBeUndefined();
    await store.put('settings/autoLockMs', 60_000);
    await store.put('activity/b/2', { amount: '5', bytes: new Uint8Array([1, 2]) });
    await store.put('activity/b/1', { amount: '7' });
    await store.put('activity/c/1', { amount: '9' });
    expect(await store.get('settings/autoLockMs')).toBe(60_000);
    expect(await store.list('activity/b/')).toEqual([
      ['activity/b/1', { amount: '7' }],
      ['activity/b/2', { amount: '5', bytes: new Uint8Array([1, 2]) }],
    ]);
    await store.deleteAll('activity/b/');
    expect(await store.list('activity/')).toEqual([['activity/c/1', { amount: '9' }]]);
    await store.delete('settings/autoLockMs');
    expect(await store.get('settings/autoLockMs')).toBeUndefined();
  });

  it('hands out copies: changing what was read changes nothing stored', async () => {
    const store = make();
    await store.put('k', { list: [1] });
    const read = await store.get<{ list: number[] }>('k');
    read!.list.push(2);
    expect(await store.get('k')).toEqual({ list: [1] });
  });
});
