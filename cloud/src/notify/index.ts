/** What other features use of notification: the WeChat messages they send, and the outbox deliverer. */
export { messageDeadlineMoved, messageDecision, messageUser, templatesOf, thing, type Templates } from './notify';
export { notifyOutbox, wechatDeliverer } from './notify.outbox';
