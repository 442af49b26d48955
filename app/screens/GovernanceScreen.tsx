// Governance on the selected chain: the validator set and its trust model, proposals with their
// tallies and a vote, a new proposal, and any evidence of a validator signing twice.
import { useState } from 'react';
import { bytesKey } from '../../src/crypto/bytes';
import { toDidKey } from '../../src/crypto/didKey';
import type { Proposal } from '../../src/chain/stateEntries';
import type { ProposalAction, VoteChoice } from '../../src/chain/transaction';
import { recipientKey, type ChainView } from '../../src/node/createWallet';
import { accountLabel, Did } from '../components/AccountName';
import { Badge, Button, Card, Empty, Field, Form, Select, type Tone } from '../components/ui';
import { InputError, messageOf } from '../store/errors';
import { useApp, useSelectedChain } from '../store/useApp';
import { TrustWords } from './ChainsScreen';
import { NoChain } from './NoChain';

const STATUS: Record<Proposal['status'], { tone: Tone; label: string }> = {
  open: { tone: 'wait', label: 'Voting open' },
  passed: { tone: 'good', label: 'Passed' },
  rejected: { tone: 'bad', label: 'Rejected' },
  failed: { tone: 'bad', label: 'Failed' },
};

function describeAction(action: ProposalAction): string {
  switch (action.type) {
    case 'addValidator':
      return `Add ${action.name || 'a validator'} (${toDidKey(action.publicKey).slice(0, 20)}…) with power ${action.power}`;
    case 'removeValidator':
      return `Remove the validator ${toDidKey(action.publicKey).slice(0, 20)}…`;
    case 'setPower':
      return `Set a validator's power to ${action.power}`;
    case 'setThreshold':
      return `Require more than ${action.threshold.numerator}/${action.threshold.denominator} to agree`;
    case 'setGovernance':
      return 'Change how proposals are decided';
    case 'text':
      return action.text;
  }
}

/** Our accounts that may vote: validators, or holders of the voting asset. */
function voters(
  chain: ChainView,
  accounts: { account: number; publicKey: Uint8Array }[],
): number[] {
  const rules = chain.params?.governance;
  if (!rules) return [];
  if (rules.voters === 'validators') {
    const set = new Set(chain.validators.validators.map((v) => bytesKey(v.publicKey)));
    return accounts.filter((a) => set.has(bytesKey(a.publicKey))).map((a) => a.account);
  }
  return chain.holdings
    .filter((h) => h.asset === rules.voterAsset && h.amount > 0n)
    .map((h) => h.account);
}

function ProposalRow(props: { chain: ChainView; proposal: Proposal; voters: number[] }) {
  const { chain, proposal } = props;
  const submit = useApp((s) => s.submit);
  const accounts = useApp((s) => s.accounts);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const voted = new Set(proposal.votes.map((v) => bytesKey(v.voter)));
  const canVote = props.voters.filter((a) => {
    const key = accounts.find((x) => x.account === a)?.publicKey;
    return key && !voted.has(bytesKey(key));
  });
  const status = STATUS[proposal.status];
  const vote = async (choice: VoteChoice) => {
    setError(null);
    try {
      for (const a of canVote)
        await submit(chain.id, a, { kind: 'vote', proposalId: proposal.id, choice });
      setSent(true);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const tally = { yes: 0, no: 0, abstain: 0 };
  for (const v of proposal.votes) tally[v.choice] += 1;
  return (
    <li className="proposal">
      <div className="proposal-head">
        <strong>
          #{proposal.id} {proposal.title}
        </strong>
        <Badge tone={status.tone}>{status.label}</Badge>
      </div>
      <p>{describeAction(proposal.action)}</p>
      <p className="muted">
        {tally.yes} yes · {tally.no} no · {tally.abstain} abstain ·{' '}
        {proposal.status === 'open'
          ? `closes at block ${proposal.endHeight}`
          : proposal.outcome || 'decided'}
      </p>
      {proposal.status === 'open' && canVote.length > 0 && !sent && (
        <div className="form-actions">
          <Button kind="primary" onClick={() => vote('yes')}>
            Vote yes
          </Button>
          <Button onClick={() => vote('no')}>Vote no</Button>
          <Button onClick={() => vote('abstain')}>Abstain</Button>
        </div>
      )}
      {sent && canVote.length > 0 && (
        <p className="muted">Your vote is signed; it counts once it is in a block.</p>
      )}
      {error && <p className="error">{error}</p>}
    </li>
  );
}

function NewProposal(props: { chain: ChainView; voter: number; onDone: () => void }) {
  const submit = useApp((s) => s.submit);
  const [type, setType] = useState<'text' | 'addValidator'>('text');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [did, setDid] = useState('');
  const [name, setName] = useState('');
  return (
    <Form
      submit="Propose"
      fields={{ InvalidRecipientError: 'Validator address' }}
      action={async () => {
        if (!title.trim()) throw new InputError('Give the proposal a title.', 'Title');
        let action: ProposalAction;
        if (type === 'text') action = { type: 'text', text: text.trim() };
        else {
          const publicKey = recipientKey(did, 'The new validator');
          action = { type: 'addValidator', publicKey, power: 1, name: name.trim() };
        }
        await submit(props.chain.id, props.voter, { kind: 'propose', title: title.trim(), action });
        props.onDone();
      }}
    >
      <Select
        label="Kind"
        value={type}
        options={[
          { value: 'text', label: 'A decision in words' },
          { value: 'addValidator', label: 'Add a validator' },
        ]}
        onChange={setType}
      />
      <Field label="Title" value={title} onChange={setTitle} />
      {type === 'text' ? (
        <Field label="What is decided" value={text} onChange={setText} multiline />
      ) : (
        <>
          <Field
            label="Validator address"
            value={did}
            onChange={setDid}
            placeholder="did:key:z6Mk…"
          />
          <Field label="Device name" value={name} onChange={setName} placeholder="Kitchen laptop" />
        </>
      )}
    </Form>
  );
}

export function GovernanceScreen() {
  const chain = useSelectedChain();
  const accounts = useApp((s) => s.accounts);
  const notify = useApp((s) => s.notify);
  const [proposing, setProposing] = useState(false);
  if (!chain) return <NoChain />;
  const own = new Set(accounts.map((a) => bytesKey(a.publicKey)));
  const mayVote = voters(chain, accounts);
  const rules = chain.params?.governance;
  return (
    <>
      <h1>Governance · {chain.name}</h1>
      <Card title="Validators">
        <TrustWords chain={chain} />
        <div className="table-scroll" role="region" aria-label="Validators table" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
                <th scope="col" className="num">
                  Voting power
                </th>
              </tr>
            </thead>
            <tbody>
              {chain.validators.validators.map((v) => (
                <tr key={bytesKey(v.publicKey)}>
                  <td>
                    {v.name || 'Unnamed'}{' '}
                    {own.has(bytesKey(v.publicKey)) && <Badge tone="neutral">You</Badge>}
                  </td>
                  <td>
                    <Did did={toDidKey(v.publicKey)} />
                  </td>
                  <td className="num">{v.power}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card
        title="Proposals"
        actions={
          mayVote.length > 0 && (
            <Button kind="primary" onClick={() => setProposing(!proposing)}>
              {proposing ? 'Close' : 'New proposal'}
            </Button>
          )
        }
      >
        {rules && (
          <p className="muted">
            Decided by{' '}
            {rules.voters === 'validators' ? 'the validators' : `holders of ${rules.voterAsset}`}; a
            vote lasts {rules.votingPeriod} blocks; at least {rules.quorum.numerator}/
            {rules.quorum.denominator} of the voting weight must take part, and more than{' '}
            {rules.passThreshold.numerator}/{rules.passThreshold.denominator} of the votes cast must
            be yes.
          </p>
        )}
        {proposing && mayVote[0] !== undefined && (
          <NewProposal
            chain={chain}
            voter={mayVote[0]}
            onDone={() => {
              setProposing(false);
              notify({ kind: 'success', text: `Proposal signed by ${accountLabel(mayVote[0]!)}.` });
            }}
          />
        )}
        {chain.proposals.length === 0 ? (
          <Empty>No proposals yet.</Empty>
        ) : (
          <ul className="proposals">
            {chain.proposals.map((p) => (
              <ProposalRow key={p.id} chain={chain} proposal={p} voters={mayVote} />
            ))}
          </ul>
        )}
      </Card>
      <Card title="Evidence of double signing">
        {chain.evidence.length === 0 ? (
          <Empty>No validator has been caught signing two different blocks.</Empty>
        ) : (
          <ul>
            {chain.evidence.map((e, i) => (
              <li key={i}>
                <Did did={toDidKey(e.evidence.voteA.validator)} /> signed two different blocks at
                height {e.evidence.voteA.height} (round {e.evidence.voteA.round}); recorded in block{' '}
                {e.includedHeight}.
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
