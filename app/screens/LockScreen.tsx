// The lock screen: the wallet holds no key until the password opens the vault again.
import { useState } from 'react';
import { Card, Field, Form } from '../components/ui';
import { useApp } from '../store/useApp';

export function LockScreen() {
  const unlock = useApp((s) => s.unlock);
  const [password, setPassword] = useState('');
  return (
    <div className="centered">
      <div className="welcome">
        <div className="brand large">
          <span className="logo" aria-hidden="true" />
          Freehold
        </div>
        <h1>Locked</h1>
        <Card>
          <p>Your keys are encrypted on this device. Enter your password to open the wallet.</p>
          <Form
            submit="Unlock"
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
            />
          </Form>
        </Card>
      </div>
    </div>
  );
}
