import { TextDecoder, TextEncoder } from 'node:util';

// What antd reads from the browser and jsdom does not implement.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
Object.assign(window, { ResizeObserver: NoResizeObserver });
// react-router reads TextEncoder at import; jsdom's window lacks Node's.
Object.assign(globalThis, { TextEncoder, TextDecoder });
// antd's form batches updates over a MessageChannel; a timer-based one keeps jest free of open ports.
class TimerMessageChannel {
  readonly port1: { onmessage: ((e: { data: unknown }) => void) | null } = { onmessage: null };
  readonly port2 = {
    postMessage: (data: unknown) => setTimeout(() => this.port1.onmessage?.({ data }), 0),
  };
}
Object.assign(globalThis, { MessageChannel: TimerMessageChannel });
// jsdom has no pseudo-elements; antd's scrollbar measurement asks for one.
const computed = window.getComputedStyle.bind(window);
window.getComputedStyle = (elt: Element) => computed(elt);
