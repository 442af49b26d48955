/**
 * A fixture built by the first test that reads it, not while the file's tests are collected.
 * Mutation testing credits what runs inside a test to that test; what runs while tests are
 * collected belongs to no test, so each mutant it reaches costs a run of the whole suite
 * (`npm run mutate`). Reads and method calls go to the built value; it is built once per file.
 */
export function lazy<T extends object>(build: () => T): T {
  let value: T | undefined;
  const built = (): T => (value ??= build());
  return new Proxy({} as T, {
    get: (_, key) => {
      const target = built();
      const field: unknown = Reflect.get(target, key, target);
      return typeof field === 'function'
        ? (field as (...a: unknown[]) => unknown).bind(target)
        : field;
    },
    has: (_, key) => Reflect.has(built(), key),
    // Spreading (`{ ...block, header }`) copies the built value's own fields.
    ownKeys: () => Reflect.ownKeys(built()),
    getOwnPropertyDescriptor: (_, key) => {
      const field = Reflect.getOwnPropertyDescriptor(built(), key);
      return field && { ...field, configurable: true };
    },
  });
}
