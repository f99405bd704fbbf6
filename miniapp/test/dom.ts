import { act, fireEvent } from '@testing-library/react';

/** Taro's web components report typing as an `input` event whose detail carries the value. */
export function typeInto(element: Element, value: string): void {
  act(() => {
    element.dispatchEvent(new CustomEvent('input', { detail: { value }, bubbles: true }));
  });
}

export function blur(element: Element): void {
  act(() => {
    element.dispatchEvent(new CustomEvent('blur', { detail: { value: '' }, bubbles: true }));
  });
}

/** Clicks, then lets every promise the click started settle. */
export async function tap(element: Element): Promise<void> {
  fireEvent.click(element);
  await settle();
}

export async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 5; i += 1) await new Promise((r) => setTimeout(r, 0));
  });
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
