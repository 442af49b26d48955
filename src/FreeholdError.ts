/**
 * @module FreeholdError — the one base of every error Freehold throws.
 * Errors are matched by `name` (a literal per subclass), which survives Electron IPC
 * and structured clone where `instanceof` does not. No secret ever goes in a message.
 */

export interface FreeholdErrorOptions {
  /** A longer, technical explanation (never a secret). */
  details?: string;
  /** The error that caused this one. */
  cause?: unknown;
}

export class FreeholdError extends Error {
  override name = 'FreeholdError';
  /** One sentence a person can read. */
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, options: FreeholdErrorOptions = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, {
      cause: options.cause,
    });
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}
