// Records: titles on the selected chain (land, a bicycle, a share), registering one, moving one
// to someone else, and its history with the proof that the chain's validators signed it.
import { useEffect, useState } from 'react';
import { bytesKey } from '../../src/crypto/bytes';
import { sha256 } from '../../src/crypto/hash';
import type { TitleRecord } from '../../src/chain/stateEntries';
import { recipientKey, type ChainView, type RecordProof } from '../../src/node/createWallet';
import { accountLabel, Did } from '../components/AccountName';
import { toDidKey } from '../../src/crypto/didKey';
import { Badge, Button, Card, Empty, Field, Form, Select } from '../components/ui';
import { formatWhen } from '../format/time';
import { InputError } from '../store/errors';
import { messageOf } from '../store/errors';
import { useApp, useSelectedChain } from '../store/useApp';
import { NoChain } from './NoChain';

function Register(props: { chain: ChainView; onDone: () => void }) {
  const accounts = useApp((s) => s.accounts);
  const submit = useApp((s) => s.submit);
  const [account, setAccount] = useState(0);
  const [id, setId] = useState('');
  const [description, setDescription] = useState('');
  const [location, setLocation] = useState('');
  return (
    <Form
      submit="Register title"
      action={async () => {
        const recordId = id.trim();
        if (!recordId)
          throw new InputError('Give the title an identifier, such as “plot-17”.', 'Identifier');
        if (props.chain.records.some((r) => r.recordId === recordId))
          throw new InputError(
            'A title with that identifier is already registered on this chain.',
            'Identifier',
          );
        const metadata: Record<string, string> = { description: description.trim() };
        if (location.trim()) metadata.location = location.trim();
        await submit(props.chain.id, account, {
          kind: 'registerRecord',
          recordId,
          contentHash: sha256(new TextEncoder().encode(description.trim())),
          metadata,
        });
        props.onDone();
      }}
    >
      <Select
        label="Owner"
        value={account}
        options={accounts.map((a) => ({ value: a.account, label: accountLabel(a.account) }))}
        onChange={setAccount}
      />
      <Field label="Identifier" value={id} onChange={setId} placeholder="plot-17" />
      <Field label="Description" value={description} onChange={setDescription} multiline />
      <Field label="Location (optional)" value={location} onChange={setLocation} />
    </Form>
  );
}

/** Moving a title, with a review step before anything is signed, as payments have. */
function Transfer(props: { chain: ChainView; record: TitleRecord; account: number }) {
  const submit = useApp((s) => s.submit);
  const notify = useApp((s) => s.notify);
  const [to, setTo] = useState('');
  const [draft, setDraft] = useState<string | null>(null);
  if (draft) {
    return (
      <div className="review" aria-label="Review the transfer">
        <h3>Review the transfer</h3>
        <dl>
          <dt>Title</dt>
          <dd>{props.record.recordId}</dd>
          <dt>From</dt>
          <dd>You ({accountLabel(props.account)})</dd>
          <dt>To</dt>
          <dd>
            <code className="did wrap">{draft}</code>
          </dd>
          <dt>Chain</dt>
          <dd>{props.chain.name}</dd>
        </dl>
        <p className="hint">
          Once final, the title belongs to the new owner: only they can move it again.
        </p>
        <Form
          submit="Sign and transfer"
          action={async () => {
            await submit(props.chain.id, props.account, {
              kind: 'transferRecord',
              recordId: props.record.recordId,
              to: recipientKey(draft),
            });
            setDraft(null);
            setTo('');
            notify({
              kind: 'success',
              text: 'Transfer signed. It is final when the validators agree.',
            });
          }}
          extra={<Button onClick={() => setDraft(null)}>Change</Button>}
        />
      </div>
    );
  }
  return (
    <Form
      submit="Review transfer"
      fields={{ InvalidRecipientError: 'New owner' }}
      action={() => {
        if (!to.trim()) throw new InputError('Enter the address of the new owner.', 'New owner');
        recipientKey(to, 'The new owner');
        setDraft(to.trim());
        return Promise.resolve();
      }}
    >
      <Field label="New owner" value={to} onChange={setTo} placeholder="did:key:z6Mk…" />
    </Form>
  );
}

function RecordDetail(props: { chain: ChainView; record: TitleRecord }) {
  const { chain, record } = props;
  const recordProof = useApp((s) => s.recordProof);
  const accounts = useApp((s) => s.accounts);
  const [proof, setProof] = useState<RecordProof | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mine = accounts.find((a) => bytesKey(a.publicKey) === bytesKey(record.owner));
  useEffect(() => {
    let live = true;
    recordProof(chain.id, record.recordId)
      .then((p) => live && setProof(p))
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [chain.id, chain.status.height, record.recordId, recordProof]);
  const now = Date.now();
  return (
    <div className="record-detail" aria-label={`Title ${record.recordId}`}>
      <h3>{record.recordId}</h3>
      <dl>
        <dt>Owner</dt>
        <dd>
          {mine ? `You (${accountLabel(mine.account)})` : <Did did={toDidKey(record.owner)} />}
        </dd>
        {Object.entries(record.metadata).map(([k, v]) => (
          <div key={k} className="dl-row">
            <dt>{k[0]!.toUpperCase() + k.slice(1)}</dt>
            <dd>{v}</dd>
          </div>
        ))}
        <dt>Registered</dt>
        <dd>block {record.registeredHeight}</dd>
        <dt>Transfers</dt>
        <dd>{record.transfers}</dd>
      </dl>
      {error && <p className="error">{error}</p>}
      {proof && (
        <>
          <p>
            {proof.proven ? (
              <Badge tone="good">Proven</Badge>
            ) : (
              <Badge tone="wait">Not proven yet</Badge>
            )}{' '}
            {proof.proven
              ? `Its current owner is in the state of block ${proof.height}, which ${proof.signers} of ${proof.validators} validators signed; this wallet checked the proof and their signatures.`
              : 'The proof is checked once the next block is signed.'}
          </p>
          <h4>History</h4>
          <ol className="history">
            {proof.history.map((h, i) => (
              <li key={i}>
                {h.kind === 'registered' ? 'Registered to ' : 'Transferred to '}
                <Did did={h.owner} /> · block {h.height} · {formatWhen(h.time, now)}
              </li>
            ))}
          </ol>
        </>
      )}
      {mine && <Transfer chain={chain} record={record} account={mine.account} />}
    </div>
  );
}

export function RecordsScreen() {
  const chain = useSelectedChain();
  const accounts = useApp((s) => s.accounts);
  const notify = useApp((s) => s.notify);
  const [registering, setRegistering] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  if (!chain) return <NoChain />;
  const own = new Set(accounts.map((a) => bytesKey(a.publicKey)));
  const selected = chain.records.find((r) => r.recordId === open);
  return (
    <>
      <h1>Records · {chain.name}</h1>
      <Card
        title="Titles"
        actions={
          <Button kind="primary" onClick={() => setRegistering(!registering)}>
            {registering ? 'Close' : 'Register a title'}
          </Button>
        }
      >
        {registering && (
          <Register
            chain={chain}
            onDone={() => {
              setRegistering(false);
              notify({
                kind: 'success',
                text: 'Title signed. It is registered when the validators agree.',
              });
            }}
          />
        )}
        {chain.records.length === 0 ? (
          <Empty>No titles on this chain yet.</Empty>
        ) : (
          <ul className="records">
            {chain.records.map((r) => (
              <li key={r.recordId}>
                <button
                  type="button"
                  className="link"
                  onClick={() => setOpen(open === r.recordId ? null : r.recordId)}
                >
                  {r.recordId}
                </button>
                <span className="muted"> {r.metadata.description}</span>{' '}
                {own.has(bytesKey(r.owner)) && <Badge tone="neutral">Yours</Badge>}
              </li>
            ))}
          </ul>
        )}
      </Card>
      {selected && (
        <Card title="Title">
          <RecordDetail chain={chain} record={selected} />
        </Card>
      )}
    </>
  );
}
