/**
 * What a state operation answers: a value at once from the in-memory state, a promise from a state
 * shared by several processes. Hot paths take the value at once when there is one (an async hook
 * would cost a promise per request); everything else may simply `await` it.
 */
export type Step<T> = T | Promise<T>;

function isPromise<T>(step: Step<T>): step is Promise<T> {
  return typeof (step as Promise<T> | undefined)?.then === 'function';
}

/**
 * Calls `onValue` with the step's value (at once when it is one) and `onError` with whatever the
 * step, or `onValue` itself, throws.
 */
export function settle<T>(step: () => Step<T>, onValue: (value: T) => void, onError: (error: Error) => void): void {
  let value: Step<T>;
  try {
    value = step();
  } catch (error) {
    onError(error as Error);
    return;
  }
  if (!isPromise(value)) {
    try {
      onValue(value);
    } catch (error) {
      onError(error as Error);
    }
    return;
  }
  value.then(onValue, onError).catch(onError);
}

/** The step's value passed through `next`, still at once when the step was. */
export function andThen<T, U>(step: Step<T>, next: (value: T) => Step<U>): Step<U> {
  return isPromise(step) ? step.then(next) : next(step);
}
