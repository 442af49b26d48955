// First run: create an identity (a password; then App shows its recovery phrase to write down
// and confirm), restore one from its phrase, or import a wallet file.
import { useState, type ReactNode } from 'react';
import { Button, Card, Field, Form, Welcome } from '../components/ui';
import { InputError } from '../store/errors';
import { useApp } from '../store/useApp';

const MIN_PASSWORD = 8;

function checkPasswords(password: string, again: string): void {
  if ([...password].length < MIN_PASSWORD)
    throw new InputError(`A password needs at least ${MIN_PASSWORD} characters.`, 'Password');
  if (password !== again)
    throw new InputError('The two passwords are not the same.', 'Password again');
}

function ChoosePassword(props: {
  onDone: (password: string) => Promise<void>;
  submit: string;
  /** Fields above the passwords (the recovery phrase), whose errors show beside them. */
  children?: ReactNode;
  fields?: Readonly<Record<string, string>>;
}) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  return (
    <Form
      submit={props.submit}
      fields={{ InvalidPasswordError: 'Password', ...props.fields }}
      action={async () => {
        checkPasswords(password, again);
        await props.onDone(password);
      }}
    >
      {props.children}
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

function ImportFile() {
  const importFile = useApp((s) => s.importFile);
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  return (
    <Form
      submit="Import"
      fields={{ WrongPasswordError: 'Password' }}
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
          <p className="hint">
            If this identity validates a chain on another device that still runs, stop that device
            first: one key must never sign on two devices at once. Chains you join here catch up
            from their peers before this device signs anything.
          </p>
          <ChoosePassword
            submit="Restore identity"
            fields={{ InvalidMnemonicError: 'Recovery phrase' }}
            onDone={(pw) => restore(phrase, pw)}
          >
            <Field
              label="Recovery phrase"
              multiline
              value={phrase}
              onChange={setPhrase}
              hint="The 12 or 24 words, in order, separated by spaces."
            />
          </ChoosePassword>
          <Button onClick={() => setMode('choose')}>Back</Button>
        </Card>
      )}
    </Welcome>
  );
}
