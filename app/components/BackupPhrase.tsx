// A recovery phrase to write down, then three of its words typed back to show the copy is right.
import { useMemo, useState } from 'react';
import { InputError } from '../store/errors';
import { Button, Card, Field, Form, PhraseList } from './ui';

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

export function BackupPhrase(props: { mnemonic: string; onConfirmed: () => Promise<void> }) {
  const words = props.mnemonic.split(' ');
  const [step, setStep] = useState<'show' | 'confirm'>('show');
  const positions = useMemo(() => pickPositions(words.length), [words.length]);
  const [answers, setAnswers] = useState<string[]>(positions.map(() => ''));
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
      <Form
        submit="Confirm"
        action={async () => {
          const wrong = positions.findIndex(
            (p, i) => answers[i]!.trim().toLowerCase() !== words[p],
          );
          if (wrong >= 0)
            throw new InputError(
              'This word does not match. Check your copy and try again.',
              `Word ${positions[wrong]! + 1}`,
            );
          await props.onConfirmed();
        }}
        extra={<Button onClick={() => setStep('show')}>Show the words again</Button>}
      >
        {positions.map((p, i) => (
          <Field
            key={p}
            label={`Word ${p + 1}`}
            value={answers[i]!}
            onChange={(v) => setAnswers(answers.map((a, j) => (j === i ? v : a)))}
          />
        ))}
      </Form>
    </Card>
  );
}
