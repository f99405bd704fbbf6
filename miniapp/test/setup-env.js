/* global customElements, HTMLElement */
// Taro's build replaces process.env.TARO_ENV; component tests run as the WeChat build.
process.env.TARO_ENV = 'weapp';

// Taro's input and textarea web components sync their inner <input> in a watcher that runs before
// Stencil has rendered it in jsdom, and log a TypeError on every keystroke. The forms' logic is
// what the tests check, so these two tags stay plain elements: typing is an `input` event carrying
// { detail: { value } }, as Taro's components emit it (test/dom.ts).
for (const tag of ['taro-input-core', 'taro-textarea-core']) {
  if (typeof customElements !== 'undefined' && !customElements.get(tag)) {
    customElements.define(tag, class extends HTMLElement {});
  }
}
