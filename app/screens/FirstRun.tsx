// First run: create an identity (password, then the recovery phrase written down and three of
// its words confirmed) or restore one from its phrase.
import { useMemo, useState } from 'react';
import { Button, Card, ErrorText, Field, Form, PhraseList, Welcome } from '../components/ui';
import { InputError } from '../store/errors';
import { useApp } from '../store/useApp';

const MIN_PASSWORD = 8;

function checkPasswords(password: string, again: string): void {
  if ([...password].length < MIN_PASSWORD)
    throw new InputError(`A password needs at least ${MIN_PASSWORD} characters.`);
  if (password !== again) throw new InputError('The two passwords are not the same.');
}

function ChoosePassword(props: { onDone: (password: string) => Promise<void>; submit: string }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  return (
    <Form
      submit={props.submit}
      action={async () => {
        checkPasswords(password, again);
        await props.onDone(password);
      }}
    >
      <Field
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="new-password"
        hint="Unlocks this wallet on this device. At least 8 characters."
      />
      <Field
        label="Password again"
        type="password"
        value={again}
        onChange={setAgain}
        autoComplete="new-password"
      />
    </Form>
  );
}

/** Three word positions to confirm, spread over the phrase. */
function pickPositions(count: number): number[] {
  const picks = new Set<number>();
  const random = new Uint32Array(8);
  crypto.getRandomValues(random);
  for (const r of random) {
    picks.add(r % count);
    if (picks.size === 3) break;
  }
  return [...picks].sort((a, b) => a - b);
}

export function BackupPhrase(props: { mnemonic: string; onConfirmed: () => void }) {
  const words = props.mnemonic.split(' ');
  const [step, setStep] = useState<'show' | 'confirm'>('show');
  const positions = useMemo(() => pickPositions(words.length), [words.length]);
  const [answers, setAnswers] = useState<string[]>(positions.map(() => ''));
  const [error, setError] = useState<string | null>(null);
  if (step === 'show') {
    return (
      <Card title="Write down your recovery phrase">
        <p>
          These {words.length} words are the only way to recover your identity and funds if this
          device is lost. Write them on paper, in order, and keep it somewhere safe. Anyone who has
          them can spend what you own.
        </p>
        <PhraseList words={words} />
        <Button kind="primary" onClick={() => setStep('confirm')}>
          I have written them down
        </Button>
      </Card>
    );
  }
  return (
    <Card title="Confirm your recovery phrase">
      <p>Type the words at these positions to check that your copy is right.</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          const wrong = positions.some((p, i) => answers[i]!.trim().toLowerCase() !== words[p]);
          if (wrong) setError('One of the words does not match. Check your copy and try again.');
          else props.onConfirmed();
        }}
      >
        {positions.map((p, i) => (
          <Field
            key={p}
            label={`Word ${p + 1}`}
            value={answers[i]!}
            onChange={(v) => setAnswers(answers.map((a, j) => (j === i ? v : a)))}
          />
        ))}
        <ErrorText error={error} />
        <div className="form-actions">
          <Button type="submit" kind="primary">
            Confirm
          </Button>
          <Button onClick={() => setStep('show')}>Show the words again</Button>
        </div>
      </form>
    </Card>
  );
}

function ImportFile() {
  const importFile = useApp((s) => s.importFile);
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  return (
    <Form
      submit="Import"
      action={async () => {
        if (!file) throw new InputError('Choose the wallet file first.');
        await importFile(new Uint8Array(await file.arrayBuffer()), password);
      }}
    >
      <div className="field">
        <label htmlFor="wallet-file">Wallet file</label>
        <input
          id="wallet-file"
          type="file"
          accept=".freehold,application/octet-stream"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <Field
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        hint="The password the wallet had when the file was exported."
      />
    </Form>
  );
}

export function FirstRun() {
  const [mode, setMode] = useState<'choose' | 'create' | 'restore' | 'import'>('choose');
  const create = useApp((s) => s.create);
  const restore = useApp((s) => s.restore);
  const [phrase, setPhrase] = useState('');
  return (
    <Welcome title="Your identity and assets, on chains your community runs">
      {mode === 'choose' && (
        <Card>
          <p>
            Freehold keeps your keys on this device, encrypted with your password. Nothing is sent
            to a company; your chains keep working on your own network when the internet is gone.
          </p>
          <div className="form-actions">
            <Button kind="primary" onClick={() => setMode('create')}>
              Create a new identity
            </Button>
            <Button onClick={() => setMode('restore')}>Restore from a recovery phrase</Button>
            <Button onClick={() => setMode('import')}>Import a wallet file</Button>
          </div>
        </Card>
      )}
      {mode === 'create' && (
        <Card title="Choose a password">
          <ChoosePassword submit="Create identity" onDone={create} />
          <Button onClick={() => setMode('choose')}>Back</Button>
        </Card>
      )}
      {mode === 'import' && (
        <Card title="Import a wallet file">
          <ImportFile />
          <Button onClick={() => setMode('choose')}>Back</Button>
        </Card>
      )}
      {mode === 'restore' && (
        <Card title="Restore your identity">
          <Field
            label="Recovery phrase"
            multiline
            value={phrase}
            onChange={setPhrase}
            hint="The 12 or 24 words, in order, separated by spaces."
          />
          <p className="hint">
            If this identity validates a chain on another device that still runs, stop that device
            first: one key must never sign on two devices at once. Chains you join here catch up
            from their peers before this device signs anything.
          </p>
          <ChoosePassword submit="Restore identity" onDone={(pw) => restore(phrase, pw)} />
          <Button onClick={() => setMode('choose')}>Back</Button>
        </Card>
      )}
    </Welcome>
  );
}
