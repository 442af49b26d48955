// The few building blocks every screen is made of, so the app speaks one visual language.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { fieldOf, messageOf } from '../store/errors';
import { FieldErrorContext, useFieldError, type FieldError } from './fieldError';

export function Button(props: {
  children: ReactNode;
  onClick?: () => void | Promise<void>;
  kind?: 'primary' | 'secondary' | 'danger';
  type?: 'button' | 'submit';
  disabled?: boolean;
}) {
  return (
    <button
      type={props.type ?? 'button'}
      className={`button ${props.kind ?? 'secondary'}`}
      disabled={props.disabled}
      onClick={props.onClick ? () => void props.onClick?.() : undefined}
    >
      {props.children}
    </button>
  );
}

export function Field(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'password' | 'number';
  hint?: string;
  multiline?: boolean;
  autoComplete?: string;
  placeholder?: string;
  autoFocus?: boolean;
}) {
  const id = useId();
  const error = useFieldError(props.label);
  const input = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  // A failed submit takes the person to the field to correct, each time it fails.
  useEffect(() => {
    if (error) input.current?.focus();
  }, [error]);
  const described = [props.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean);
  const common = {
    id,
    ref: input,
    value: props.value,
    placeholder: props.placeholder,
    autoFocus: props.autoFocus,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described.length > 0 ? described.join(' ') : undefined,
  };
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={4} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete ?? 'off'}
          spellCheck={false}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      {error && (
        <p className="error field-error" id={`${id}-error`} role="alert">
          {error.message}
        </p>
      )}
      {props.hint && (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

export function Select<T extends string | number>(props: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={String(props.value)}
        onChange={(e) => {
          const picked = props.options.find((o) => String(o.value) === e.target.value);
          if (picked) props.onChange(picked.value);
        }}
      >
        {props.options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Card(props: { title?: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card" aria-label={props.title}>
      {(props.title || props.actions) && (
        <div className="card-head">
          {props.title && <h2>{props.title}</h2>}
          {props.actions && <div className="card-actions">{props.actions}</div>}
        </div>
      )}
      {props.children}
    </section>
  );
}

export type Tone = 'good' | 'wait' | 'queued' | 'bad' | 'neutral';

export function Badge(props: { tone: Tone; children: ReactNode }) {
  return <span className={`badge ${props.tone}`}>{props.children}</span>;
}

export function ErrorText(props: { error: string | null; focus?: unknown }) {
  const shown = useRef<HTMLParagraphElement>(null);
  // After a failed action, focus goes to what went wrong (a screen reader reads it out).
  useEffect(() => {
    if (props.focus !== undefined) shown.current?.focus();
  }, [props.focus]);
  if (!props.error) return null;
  return (
    <p className="error" role="alert" ref={shown} tabIndex={-1}>
      {props.error}
    </p>
  );
}

export function Empty(props: { children: ReactNode }) {
  return <p className="empty">{props.children}</p>;
}

/**
 * A form whose submit runs `action`, disables while busy and shows what failed in plain words:
 * next to the field it is about (`InputError.field`, or `fields`: error name → field label),
 * else under the form. The form is usable again as soon as the action ends, however it ends.
 */
export function Form(props: {
  children?: ReactNode;
  action: () => Promise<void>;
  submit: string;
  kind?: 'primary' | 'danger';
  extra?: ReactNode;
  fields?: Readonly<Record<string, string>>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<(Omit<FieldError, 'field'> & { field?: string }) | null>(null);
  const attempts = useRef(0);
  const onField = error?.field !== undefined ? (error as FieldError) : null;
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (busy) return;
        setBusy(true);
        setError(null);
        // An action that throws before its first await still ends here, not as an uncaught error.
        new Promise<void>((resolve) => resolve(props.action()))
          .catch((err: unknown) => {
            attempts.current += 1;
            const field = fieldOf(err, props.fields);
            const shown = { message: messageOf(err), attempt: attempts.current };
            setError(field === undefined ? shown : { ...shown, field });
          })
          .finally(() => setBusy(false));
      }}
    >
      <FieldErrorContext.Provider value={onField}>{props.children}</FieldErrorContext.Provider>
      <ErrorText error={onField ? null : (error?.message ?? null)} focus={error?.attempt} />
      <div className="form-actions">
        <Button type="submit" kind={props.kind ?? 'primary'} disabled={busy}>
          {busy ? 'Working…' : props.submit}
        </Button>
        {props.extra}
      </div>
    </form>
  );
}

export function Copy(props: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <Button
      onClick={async () => {
        await navigator.clipboard?.writeText(props.text).catch(() => undefined);
        setDone(true);
        setTimeout(() => setDone(false), 1500);
      }}
    >
      {done ? 'Copied' : props.label}
    </Button>
  );
}

export function Progress(props: { value: number; max: number; label: string }) {
  const pct = props.max > 0 ? Math.min(100, Math.round((props.value / props.max) * 100)) : 100;
  return (
    <div className="progress">
      <div
        className="progress-bar"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={props.max}
        aria-valuenow={props.value}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

export function Brand(props: { large?: boolean }) {
  return (
    <div className={props.large ? 'brand large' : 'brand'}>
      <span className="logo" aria-hidden="true" />
      Freehold
    </div>
  );
}

/** The centred frame of the screens before the wallet opens: first run, lock, backup. */
export function Welcome(props: { title?: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className="centered">
      <div className={props.wide ? 'welcome wide' : 'welcome'}>
        <Brand large />
        {props.title && <h1>{props.title}</h1>}
        {props.children}
      </div>
    </div>
  );
}

/** A recovery phrase as numbered words, to copy onto paper in order. */
export function PhraseList(props: { words: string[] }) {
  return (
    <ol className="phrase" aria-label="Recovery phrase">
      {props.words.map((w, i) => (
        <li key={i}>
          <span className="n">{i + 1}</span> {w}
        </li>
      ))}
    </ol>
  );
}
