// Chains: those followed (trust model in plain words, invite, leave), found a new one, or join
// one by its invite.
import { lazy, Suspense, useState } from 'react';
import { recipientKey, type ChainView } from '../../src/node/createWallet';
import { Did } from '../components/AccountName';
import { QrCode } from '../components/QrCode';
import { Badge, Button, Card, Copy, Empty, Field, Form, Select } from '../components/ui';
import { parseAmount } from '../format/amount';
import { genesisValidatorSet } from '../../src/chain/genesis';
import { decodeInvite } from '../../src/node/invite';
import { describeThreshold } from '../format/describeThreshold';
import { InputError } from '../store/errors';
import { useApp } from '../store/useApp';

const QrScanner = lazy(() => import('../components/QrScanner'));

const ROLE: Record<ChainView['role'], string> = {
  validator: 'You validate',
  full: 'You keep a full copy',
  light: 'You check headers',
};

export function TrustWords(props: { chain: Pick<ChainView, 'validators'> }) {
  const { validators, threshold } = props.chain.validators;
  const words = describeThreshold(
    validators.map((v) => v.power),
    threshold,
  );
  return (
    <p className="trust">
      <strong>{words.agree}</strong> — {words.tolerance}.
    </p>
  );
}

function ChainCard(props: { chain: ChainView }) {
  const { chain } = props;
  const invite = useApp((s) => s.invite);
  const leave = useApp((s) => s.leave);
  const [shown, setShown] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  return (
    <Card title={chain.name} actions={<Badge tone="neutral">{ROLE[chain.role]}</Badge>}>
      <TrustWords chain={chain} />
      {chain.status.signingHalted && (
        <p className="error" role="alert">
          This device stopped validating this chain. {chain.status.signingHalted} It keeps a full
          copy; check your other devices before validating here again.
        </p>
      )}
      <p className="muted">
        {chain.validators.validators.length === 1
          ? '1 validator'
          : `${chain.validators.validators.length} validators`}{' '}
        · block {chain.status.height} ·{' '}
        {chain.status.peers === 1 ? '1 peer' : `${chain.status.peers} peers`}
      </p>
      <div className="form-actions">
        <Button onClick={() => setShown(shown ? null : invite(chain.id))}>
          {shown ? 'Hide invite' : 'Invite someone'}
        </Button>
        <Button kind="danger" onClick={() => setLeaving(true)}>
          Leave chain
        </Button>
      </div>
      {shown && (
        <div className="invite">
          <p>Anyone with this invite can follow the chain. Show the code or send the text.</p>
          <QrCode text={shown} label={`Invite to ${chain.name} as a QR code`} size={320} />
          <Field label="Invite" multiline value={shown} onChange={() => undefined} />
          <Copy text={shown} label="Copy invite" />
        </div>
      )}
      {leaving && (
        <div className="confirm" role="alertdialog" aria-label="Leave this chain?">
          <p>
            Leaving removes this chain&apos;s blocks from this device. Your funds stay on the chain:
            join again with an invite to see them.
          </p>
          <div className="form-actions">
            <Button kind="danger" onClick={() => leave(chain.id)}>
              Leave {chain.name}
            </Button>
            <Button onClick={() => setLeaving(false)}>Stay</Button>
          </div>
        </div>
      )}
    </Card>
  );
}

const THRESHOLDS = [
  { value: '2/3', label: 'More than two thirds (recommended)' },
  { value: '1/2', label: 'More than half' },
  { value: '3/4', label: 'More than three quarters' },
];

function FoundChain(props: { onDone: () => void }) {
  const accounts = useApp((s) => s.accounts);
  const found = useApp((s) => s.found);
  const me = accounts[0]?.did ?? '';
  const [name, setName] = useState('');
  const [others, setOthers] = useState('');
  const [threshold, setThreshold] = useState('2/3');
  const [voters, setVoters] = useState<'validators' | 'holders'>('validators');
  const [symbol, setSymbol] = useState('COIN');
  const [assetName, setAssetName] = useState('Coin');
  const [supply, setSupply] = useState('1000');
  const otherDids = others
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const [num, den] = threshold.split('/').map(Number) as [number, number];
  const preview = describeThreshold(
    [me, ...otherDids].map(() => 1),
    { numerator: num, denominator: den },
  );
  return (
    <Form
      submit="Found chain"
      fields={{
        InvalidRecipientError: 'Other validators',
        InvalidAmountError: 'Supply',
        InvalidGenesisError: 'Symbol',
      }}
      action={async () => {
        if (!name.trim()) throw new InputError('Give the chain a name.', 'Name');
        for (const d of otherDids) recipientKey(d, `“${d.slice(0, 24)}…”`);
        const amount = symbol ? parseAmount(supply, 2) : 0n;
        await found({
          name: name.trim(),
          validators: [me, ...otherDids].map((key, i) => ({ key, name: i === 0 ? 'Founder' : '' })),
          threshold: { numerator: num, denominator: den },
          governance: voters === 'holders' ? { voters, voterAsset: symbol } : { voters },
          assets: symbol
            ? [
                {
                  symbol: symbol.trim().toUpperCase(),
                  name: assetName.trim(),
                  decimals: 2,
                  minter: null,
                },
              ]
            : [],
          balances: symbol ? [{ account: me, asset: symbol.trim().toUpperCase(), amount }] : [],
        });
        props.onDone();
      }}
    >
      <Field label="Name" value={name} onChange={setName} placeholder="Our household" />
      <Field
        label="Other validators"
        multiline
        value={others}
        onChange={setOthers}
        hint="The did:key addresses of the other devices that keep this chain, one per line. You are a validator already. Leave empty for a chain on this device alone."
      />
      <Select
        label="How many must agree"
        value={threshold}
        options={THRESHOLDS}
        onChange={setThreshold}
      />
      <p className="trust" aria-live="polite">
        <strong>{preview.agree}</strong> — {preview.tolerance}.
      </p>
      <Select
        label="Who decides proposals"
        value={voters}
        options={[
          { value: 'validators', label: 'The validators, one vote each' },
          { value: 'holders', label: 'Holders of the asset, by balance' },
        ]}
        onChange={setVoters}
      />
      <fieldset>
        <legend>Initial asset (held by you, 2 decimals)</legend>
        <Field
          label="Symbol"
          value={symbol}
          onChange={setSymbol}
          hint="2 to 12 capital letters or digits."
        />
        <Field label="Asset name" value={assetName} onChange={setAssetName} />
        <Field label="Supply" value={supply} onChange={setSupply} />
      </fieldset>
    </Form>
  );
}

/** What an invite leads to, read before joining: the chain's name and its trust model. */
function InvitePreview(props: { text: string }) {
  let invite;
  try {
    invite = props.text.trim() ? decodeInvite(props.text) : null;
  } catch {
    invite = null; // said plainly on submit
  }
  if (!invite) return null;
  const validators = genesisValidatorSet(invite.genesis);
  const assets = invite.genesis.assets.map((a) => a.symbol).join(', ');
  return (
    <div className="preview" aria-label="The chain this invite leads to">
      <strong>{invite.genesis.name}</strong>
      <span className="muted">
        {' '}
        ·{' '}
        {validators.validators.length === 1
          ? '1 validator'
          : `${validators.validators.length} validators`}
        {assets && ` · ${assets}`} ·{' '}
        {invite.peers.length === 1
          ? '1 peer to start from'
          : `${invite.peers.length} peers to start from`}
      </span>
      <TrustWords chain={{ validators }} />
    </div>
  );
}

function JoinChain(props: { onDone: () => void }) {
  const join = useApp((s) => s.join);
  const [text, setText] = useState('');
  const [scanning, setScanning] = useState(false);
  return (
    <Form
      submit="Join chain"
      fields={{ InvalidInviteError: 'Invite' }}
      action={async () => {
        if (!text.trim()) throw new InputError('Paste or scan an invite first.', 'Invite');
        await join(text);
        props.onDone();
      }}
      extra={!scanning && <Button onClick={() => setScanning(true)}>Scan a QR code</Button>}
    >
      <InvitePreview text={text} />
      {scanning && (
        <Suspense fallback={<p className="muted">Opening the scanner…</p>}>
          <QrScanner
            onText={(scanned) => {
              setText(scanned);
              setScanning(false);
            }}
            onClose={() => setScanning(false)}
          />
        </Suspense>
      )}
      <Field
        label="Invite"
        multiline
        value={text}
        onChange={setText}
        placeholder="freehold:…"
        hint="Paste the invite someone who runs the chain gave you."
      />
    </Form>
  );
}

export function ChainsScreen() {
  const chains = useApp((s) => s.chains);
  const accounts = useApp((s) => s.accounts);
  const notify = useApp((s) => s.notify);
  const [mode, setMode] = useState<'list' | 'found' | 'join'>('list');
  return (
    <>
      <h1>Chains</h1>
      <div className="form-actions">
        <Button kind={mode === 'found' ? 'primary' : 'secondary'} onClick={() => setMode('found')}>
          Found a chain
        </Button>
        <Button kind={mode === 'join' ? 'primary' : 'secondary'} onClick={() => setMode('join')}>
          Join by invite
        </Button>
      </div>
      {mode === 'found' && (
        <Card title="Found a chain">
          <p className="muted">
            You are its first validator, as <Did did={accounts[0]?.did ?? ''} />.
          </p>
          <FoundChain
            onDone={() => {
              setMode('list');
              notify({ kind: 'success', text: 'Chain founded. Invite others from its card.' });
            }}
          />
        </Card>
      )}
      {mode === 'join' && (
        <Card title="Join a chain">
          <JoinChain
            onDone={() => {
              setMode('list');
              notify({ kind: 'success', text: 'Joined. The chain is catching up from its peers.' });
            }}
          />
        </Card>
      )}
      {chains.length === 0 && mode === 'list' && <Empty>This wallet follows no chain yet.</Empty>}
      {chains.map((c) => (
        <ChainCard key={c.id} chain={c} />
      ))}
    </>
  );
}
