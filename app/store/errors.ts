// What a person reads when something fails: the error's one-sentence message, never a stack.

/** A mistake in what was typed, found by the app before anything is signed or sent. */
export class InputError extends Error {
  override name = 'InputError' as const;
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
