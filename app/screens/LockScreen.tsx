// The lock screen: the wallet holds no key until the password opens the vault again.
import { useState } from 'react';
import { Card, Field, Form, Welcome } from '../components/ui';
import { useApp } from '../store/useApp';

export function LockScreen() {
  const unlock = useApp((s) => s.unlock);
  const [password, setPassword] = useState('');
  return (
    <Welcome title="Locked">
      <Card>
        <p>Your keys are encrypted on this device. Enter your password to open the wallet.</p>
        <Form
          submit="Unlock"
          fields={{ WrongPasswordError: 'Password' }}
          action={async () => {
            await unlock(password);
            setPassword('');
          }}
        >
          <Field
            label="Password"
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
            autoFocus
          />
        </Form>
      </Card>
    </Welcome>
  );
}
