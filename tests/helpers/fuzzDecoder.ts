// Feeds random bytes, and one-byte mutations of a valid encoding, to decoders: each may only
// ever throw its own typed error.
import fc from 'fast-check';
import { expect } from 'vitest';

export interface DecoderUnderTest {
  decode: (bytes: Uint8Array) => unknown;
  /** The error names it may throw. */
  errors: string[];
}

export function expectOnlyTypedErrors(
  valid: Uint8Array,
  decoders: DecoderUnderTest[],
  numRuns = 1000,
): void {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (bytes, pos, flip) => {
        const mutated = valid.slice();
        mutated[pos % mutated.length]! ^= flip;
        for (const input of [bytes, mutated]) {
          for (const d of decoders) {
            try {
              d.decode(input);
            } catch (e) {
              expect(d.errors).toContain((e as Error).name);
            }
          }
        }
      },
    ),
    { numRuns },
  );
}
