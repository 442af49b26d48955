// The reminder, on the wallet screen, that a new identity's recovery phrase is not confirmed
// yet: it stays until the words are typed back, even across reloads and locks.
import { useState } from 'react';
import { BackupPhrase } from './BackupPhrase';
import { useApp } from '../store/useApp';
import { Card, Field, Form } from './ui';

export function BackupReminder() {
  const backedUp = useApp((s) => s.backedUp);
  const reveal = useApp((s) => s.revealMnemonic);
  const confirm = useApp((s) => s.confirmBackup);
  const notify = useApp((s) => s.notify);
  const [password, setPassword] = useState('');
  const [mnemonic, setMnemonic] = useState<string | null>(null);
  if (backedUp) return null;
  if (mnemonic) {
    return (
      <BackupPhrase
        mnemonic={mnemonic}
        onConfirmed={async () => {
          await confirm();
          setMnemonic(null);
          notify({ kind: 'success', text: 'Recovery phrase confirmed. Keep the paper safe.' });
        }}
      />
    );
  }
  return (
    <Card title="Back up your recovery phrase">
      <p>
        Your recovery phrase is not confirmed yet. Without it, this identity and everything it holds
        are lost with this device. Enter your password to see the words, write them down and confirm
        them.
      </p>
      <Form
        submit="Show the words"
        fields={{ WrongPasswordError: 'Password' }}
        action={async () => {
          const words = await reveal(password);
          setPassword('');
          setMnemonic(words);
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
    </Card>
  );
}
