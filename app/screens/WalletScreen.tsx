// The wallet: balances of the selected chain per account and asset; send (with a review step
// before anything is signed) and receive (an address and its QR code).
import { useState } from 'react';
import { recipientKey, type ChainView } from '../../src/node/createWallet';
import { accountLabel, Did } from '../components/AccountName';
import { Amount } from '../components/Amount';
import { BackupReminder } from '../components/BackupReminder';
import { QrCode } from '../components/QrCode';
import { Button, Card, Copy, Empty, Field, Form, Select } from '../components/ui';
import { formatAmount, parseAmount } from '../format/amount';
import { InputError } from '../store/errors';
import { useApp, useSelectedChain } from '../store/useApp';
import { NoChain } from './NoChain';

interface Draft {
  account: number;
  to: string;
  asset: string;
  amount: bigint;
}

function SendForm(props: { chain: ChainView }) {
  const { chain } = props;
  const accounts = useApp((s) => s.accounts);
  const submit = useApp((s) => s.submit);
  const notify = useApp((s) => s.notify);
  const [account, setAccount] = useState(0);
  const [to, setTo] = useState('');
  const [asset, setAsset] = useState(chain.assets[0]?.symbol ?? '');
  const [amount, setAmount] = useState('');
  const [draft, setDraft] = useState<Draft | null>(null);
  if (chain.assets.length === 0) return <Empty>This chain has no assets to send.</Empty>;
  const decimals = chain.assets.find((a) => a.symbol === asset)?.decimals ?? 0;
  const holding = chain.holdings.find((h) => h.account === account && h.asset === asset);
  // Payments signed here and not yet final will take their part: only the rest can be spent.
  const available = holding ? holding.amount - holding.pending : 0n;

  if (draft) {
    return (
      <div className="review" aria-label="Review the payment">
        <h3>Review the payment</h3>
        <dl>
          <dt>From</dt>
          <dd>{accountLabel(draft.account)}</dd>
          <dt>To</dt>
          <dd>
            <code className="did wrap">{draft.to}</code>
          </dd>
          <dt>Amount</dt>
          <dd>
            <Amount amount={draft.amount} asset={draft.asset} assets={chain.assets} />
          </dd>
          <dt>Chain</dt>
          <dd>{chain.name}</dd>
        </dl>
        <p className="hint">
          Once signed, the payment is final when the chain&apos;s validators agree. If no peer is
          reachable it waits on this device and is sent when one is.
        </p>
        <Form
          submit="Sign and send"
          action={async () => {
            await submit(chain.id, draft.account, {
              kind: 'transfer',
              asset: draft.asset,
              to: recipientKey(draft.to),
              amount: draft.amount,
            });
            setDraft(null);
            setAmount('');
            setTo('');
            notify({ kind: 'success', text: 'Payment signed. See its progress under Activity.' });
          }}
          extra={<Button onClick={() => setDraft(null)}>Change</Button>}
        />
      </div>
    );
  }

  return (
    <Form
      submit="Review payment"
      fields={{ InvalidRecipientError: 'To', InvalidAmountError: 'Amount' }}
      action={() => {
        if (!to.trim()) throw new InputError('Enter the address to pay (did:key:z…).', 'To');
        recipientKey(to, 'The recipient');
        const value = parseAmount(amount, decimals);
        if (value > available)
          throw new InputError(
            holding?.pending
              ? `${accountLabel(account)} has only ${formatAmount(available, decimals)} ${asset} available: payments not final yet take the rest.`
              : `${accountLabel(account)} holds only ${formatAmount(available, decimals)} ${asset}.`,
            'Amount',
          );
        setDraft({ account, to: to.trim(), asset, amount: value });
        return Promise.resolve();
      }}
    >
      <Select
        label="From"
        value={account}
        options={accounts.map((a) => ({ value: a.account, label: accountLabel(a.account) }))}
        onChange={setAccount}
      />
      <Field label="To" value={to} onChange={setTo} placeholder="did:key:z6Mk…" />
      <Select
        label="Asset"
        value={asset}
        options={chain.assets.map((a) => ({ value: a.symbol, label: `${a.name} (${a.symbol})` }))}
        onChange={setAsset}
      />
      <Field
        label="Amount"
        value={amount}
        onChange={setAmount}
        hint={`Up to ${decimals} digits after the point.`}
      />
    </Form>
  );
}

function Receive() {
  const accounts = useApp((s) => s.accounts);
  const [account, setAccount] = useState(0);
  const did = accounts.find((a) => a.account === account)?.did ?? '';
  return (
    <div className="receive">
      <Select
        label="Receive to"
        value={account}
        options={accounts.map((a) => ({ value: a.account, label: accountLabel(a.account) }))}
        onChange={setAccount}
      />
      <QrCode text={did} label={`QR code of the address of ${accountLabel(account)}`} />
      <p>
        <code className="did wrap">{did}</code>
      </p>
      <Copy text={did} label="Copy address" />
    </div>
  );
}

/** On the demo chain of `npm start -- --demo`: a button that asks its faucet for coins. */
function DemoCoins(props: { chainId: string }) {
  const demo = useApp((s) => s.demoChain);
  const accounts = useApp((s) => s.accounts);
  const request = useApp((s) => s.requestDemoCoins);
  const notify = useApp((s) => s.notify);
  if (demo?.chainId !== props.chainId || !accounts[0]) return null;
  return (
    <Card title="Demo coins">
      <Form
        submit="Get 100 demo COIN"
        action={async () => {
          await request(accounts[0]!.did);
          notify({ kind: 'success', text: '100 COIN are on their way to Account 1.' });
        }}
      >
        <p className="muted">
          This is the demo chain running beside this page. Its validators send Account 1 some coins
          to try payments with.
        </p>
      </Form>
    </Card>
  );
}

export function WalletScreen() {
  const chain = useSelectedChain();
  const accounts = useApp((s) => s.accounts);
  const [tab, setTab] = useState<'send' | 'receive'>('send');
  if (!chain)
    return (
      <>
        <BackupReminder />
        <NoChain />
      </>
    );
  return (
    <>
      <h1>Wallet · {chain.name}</h1>
      <BackupReminder />
      <DemoCoins chainId={chain.id} />
      <Card title="Balances">
        {chain.assets.length === 0 ? (
          <Empty>This chain has no assets yet.</Empty>
        ) : (
          <div className="table-scroll" role="region" aria-label="Balances table" tabIndex={0}>
            <table className="table balances">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Asset</th>
                  <th scope="col" className="num">
                    Available
                  </th>
                  <th scope="col" className="num">
                    Pending
                  </th>
                </tr>
              </thead>
              <tbody>
                {chain.holdings.map((h) => (
                  <tr key={`${h.account}-${h.asset}`}>
                    <td>
                      {accountLabel(h.account)}{' '}
                      <Did did={accounts.find((a) => a.account === h.account)?.did ?? ''} />
                    </td>
                    <td>{chain.assets.find((a) => a.symbol === h.asset)?.name ?? h.asset}</td>
                    <td className="num">
                      <Amount amount={h.amount - h.pending} asset={h.asset} assets={chain.assets} />
                    </td>
                    <td className="num">
                      {h.pending > 0n ? (
                        <Amount amount={h.pending} asset={h.asset} assets={chain.assets} sign="−" />
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card
        title={tab === 'send' ? 'Send' : 'Receive'}
        actions={
          <div className="tabs" role="group" aria-label="Send or receive">
            <Button kind={tab === 'send' ? 'primary' : 'secondary'} onClick={() => setTab('send')}>
              Send
            </Button>
            <Button
              kind={tab === 'receive' ? 'primary' : 'secondary'}
              onClick={() => setTab('receive')}
            >
              Receive
            </Button>
          </div>
        }
      >
        {tab === 'send' ? <SendForm chain={chain} /> : <Receive />}
      </Card>
    </>
  );
}
