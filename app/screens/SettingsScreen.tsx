// Settings: back up the phrase, change the password, the auto-lock time, and wiping this device.
import { useState } from 'react';
import { Button, Card, Field, Form, PhraseList, Select } from '../components/ui';
import { formatDuration } from '../format/time';
import { InputError } from '../store/errors';
import { useApp } from '../store/useApp';

const AUTO_LOCK = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 0];

function Backup() {
  const reveal = useApp((s) => s.revealMnemonic);
  const [password, setPassword] = useState('');
  const [words, setWords] = useState<string[] | null>(null);
  if (words) {
    return (
      <>
        <PhraseList words={words} />
        <Button onClick={() => setWords(null)}>Hide the words</Button>
      </>
    );
  }
  return (
    <Form
      submit="Show recovery phrase"
      fields={{ WrongPasswordError: 'Password' }}
      action={async () => {
        setWords((await reveal(password)).split(' '));
        setPassword('');
      }}
    >
      <Field
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
      />
    </Form>
  );
}

function ChangePassword() {
  const change = useApp((s) => s.changePassword);
  const notify = useApp((s) => s.notify);
  const [old, setOld] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  return (
    <Form
      submit="Change password"
      fields={{ WrongPasswordError: 'Current password', InvalidPasswordError: 'New password' }}
      action={async () => {
        if (next !== again)
          throw new InputError('The two new passwords are not the same.', 'New password again');
        await change(old, next);
        setOld('');
        setNext('');
        setAgain('');
        notify({ kind: 'success', text: 'Password changed.' });
      }}
    >
      <Field
        label="Current password"
        type="password"
        value={old}
        onChange={setOld}
        autoComplete="current-password"
      />
      <Field
        label="New password"
        type="password"
        value={next}
        onChange={setNext}
        autoComplete="new-password"
      />
      <Field
        label="New password again"
        type="password"
        value={again}
        onChange={setAgain}
        autoComplete="new-password"
      />
    </Form>
  );
}

function ExportFile() {
  const exportFile = useApp((s) => s.exportFile);
  const notify = useApp((s) => s.notify);
  const [password, setPassword] = useState('');
  return (
    <Form
      submit="Export wallet file"
      fields={{ WrongPasswordError: 'Password for the export' }}
      action={async () => {
        const bytes = await exportFile(password);
        setPassword('');
        const url = URL.createObjectURL(
          new Blob([bytes.slice()], { type: 'application/octet-stream' }),
        );
        const a = document.createElement('a');
        a.href = url;
        a.download = `freehold-wallet-${new Date().toISOString().slice(0, 10)}.freehold`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        notify({ kind: 'success', text: 'Wallet file saved. It opens only with this password.' });
      }}
    >
      <p>
        One file with your identity and the chains you follow, encrypted with your password. Import
        it on a new device, or keep it as a second backup beside your recovery phrase.
      </p>
      <Field
        label="Password for the export"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
      />
    </Form>
  );
}

function Wipe() {
  const wipe = useApp((s) => s.wipe);
  const [typed, setTyped] = useState('');
  return (
    <Form
      submit="Wipe this device"
      kind="danger"
      action={async () => {
        // Exactly the word, in capitals: wiping cannot be undone, so nothing near it counts.
        if (typed !== 'WIPE')
          throw new InputError(
            'Type WIPE, in capital letters, to confirm.',
            'Type WIPE to confirm',
          );
        await wipe();
      }}
    >
      <p>
        Removes your identity, every chain and all activity from this device. Only your recovery
        phrase can bring the identity back.
      </p>
      <Field label="Type WIPE to confirm" value={typed} onChange={setTyped} />
    </Form>
  );
}

export function SettingsScreen() {
  const autoLockMs = useApp((s) => s.autoLockMs);
  const setAutoLock = useApp((s) => s.setAutoLock);
  return (
    <>
      <h1>Settings</h1>
      <Card title="Back up">
        <p>
          Your recovery phrase restores your identity on any device. Enter your password to see it.
        </p>
        <Backup />
      </Card>
      <Card title="Wallet file">
        <ExportFile />
      </Card>
      <Card title="Auto-lock">
        <Select
          label="Lock after being idle for"
          value={autoLockMs}
          options={AUTO_LOCK.map((ms) => ({ value: ms, label: formatDuration(ms) }))}
          onChange={(ms) => void setAutoLock(ms)}
        />
      </Card>
      <Card title="Password">
        <ChangePassword />
      </Card>
      <Card title="Wipe this device">
        <Wipe />
      </Card>
    </>
  );
}
