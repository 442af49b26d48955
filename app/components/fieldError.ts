// Which field a form's error belongs to, so the message is shown next to that field.
import { createContext, useContext } from 'react';

export interface FieldError {
  /** The label of the field the error is about. */
  field: string;
  message: string;
  /** Changes at every failed submit, so the field takes focus again after a second try. */
  attempt: number;
}

export const FieldErrorContext = createContext<FieldError | null>(null);

/** The error a form shows next to the field labelled `label`, or null. */
export function useFieldError(label: string): FieldError | null {
  const error = useContext(FieldErrorContext);
  return error?.field === label ? error : null;
}
