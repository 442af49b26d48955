// What a person reads when something fails: the error's one-sentence message, never a stack.

/** A mistake in what was typed, found by the app before anything is signed or sent. */
export class InputError extends Error {
  override name = 'InputError' as const;
  /** The label of the field that holds the mistake: the message is shown next to it. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}

/**
 * The field an error is about: its own `field` (InputError), else the form's map from error
 * names (the wallet's typed errors) to field labels.
 */
export function fieldOf(
  error: unknown,
  fields: Readonly<Record<string, string>> = {},
): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { field?: unknown; name?: unknown };
  if (typeof e.field === 'string') return e.field;
  return typeof e.name === 'string' ? fields[e.name] : undefined;
}

export function messageOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { shortMessage?: unknown; message?: unknown; name?: unknown };
    if (typeof e.shortMessage === 'string') return e.shortMessage;
    if (
      (e.name === 'InputError' || e.name === 'InvalidAmountError') &&
      typeof e.message === 'string'
    )
      return e.message;
  }
  return 'Something went wrong. Nothing was changed; please try again.';
}
