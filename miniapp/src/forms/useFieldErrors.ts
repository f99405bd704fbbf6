import { useCallback, useState } from 'react';
import type { FieldErrors } from './validate';

/** Field messages that go away as soon as the user edits that field. */
export function useFieldErrors(): [FieldErrors, (errors: FieldErrors) => void, (field: string) => void] {
  const [errors, setErrors] = useState<FieldErrors>({});
  const clear = useCallback((field: string) => {
    setErrors((current) => {
      if (!(field in current)) return current;
      const { [field]: _dropped, ...rest } = current;
      return rest;
    });
  }, []);
  return [errors, setErrors, clear];
}
