// The chains this wallet follows, as the wallet facade describes them, and what a person does
// with them: found, join, leave, sign and send.
import type { StateCreator } from 'zustand/vanilla';
import type { GenesisInput } from '../../src/chain/genesis';
import type { TxBody } from '../../src/chain/transaction';
import type { ChainView, RecordProof, Wallet } from '../../src/node/createWallet';
import type { AppState } from './createAppStore';

export interface ChainsSlice {
  chains: ChainView[];
  /** The chain the wallet, records, governance and activity screens show. */
  selectedChain: string | null;
  selectChain: (id: string) => void;
  found: (input: Omit<GenesisInput, 'genesisTime'>) => Promise<string>;
  join: (invite: string) => Promise<string>;
  leave: (id: string) => Promise<void>;
  invite: (id: string) => string;
  submit: (chainId: string, account: number, body: TxBody) => Promise<string>;
  cancel: (chainId: string, txId: string) => Promise<void>;
  recordProof: (chainId: string, recordId: string) => Promise<RecordProof>;
}

export const createChainsSlice =
  (wallet: Wallet): StateCreator<AppState, [], [], ChainsSlice> =>
  (set, get) => ({
    chains: [],
    selectedChain: null,
    selectChain: (id) => set({ selectedChain: id }),
    async found(input) {
      const id = await wallet.found(input);
      set({ selectedChain: id });
      return id;
    },
    async join(invite) {
      const id = await wallet.join(invite);
      set({ selectedChain: id });
      return id;
    },
    async leave(id) {
      await wallet.leave(id);
      if (get().selectedChain === id) set({ selectedChain: null });
    },
    invite: (id) => wallet.invite(id),
    submit: (chainId, account, body) => wallet.submit(chainId, account, body),
    cancel: (chainId, txId) => wallet.cancel(chainId, txId),
    recordProof: (chainId, recordId) => wallet.recordProof(chainId, recordId),
  });
